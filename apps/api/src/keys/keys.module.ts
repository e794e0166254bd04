import { Global, Module } from '@nestjs/common';
import { ApiKeysService } from './api-keys.service.js';
import { KeysController } from './keys.controller.js';
import { VirtualKeyGuard } from './virtual-key.guard.js';

/** Virtual keys: the service, the guard of the /v1 routes, and the admin routes that manage them. */
@Global()
@Module({
  controllers: [KeysController],
  providers: [ApiKeysService, VirtualKeyGuard],
  exports: [ApiKeysService, VirtualKeyGuard],
})
export class KeysModule {}
