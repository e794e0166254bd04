import { Global, Module } from '@nestjs/common';
import { ApiKeysService } from './api-keys.service.js';
import { VirtualKeyGuard } from './virtual-key.guard.js';

/** Virtual keys: the service and the guard of the /v1 routes. */
@Global()
@Module({
  providers: [ApiKeysService, VirtualKeyGuard],
  exports: [ApiKeysService, VirtualKeyGuard],
})
export class KeysModule {}
