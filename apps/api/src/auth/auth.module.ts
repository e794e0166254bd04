import { type DynamicModule, Global, Module } from '@nestjs/common';
import type { AdminKey } from '../config/admin-key.js';
import { ADMIN_KEY, AdminKeyGuard } from './admin-key.guard.js';

/** Holds the admin key and the guard that checks it. */
@Global()
@Module({})
export class AuthModule {
  static forRoot(adminKey: AdminKey): DynamicModule {
    return {
      module: AuthModule,
      providers: [{ provide: ADMIN_KEY, useValue: adminKey }, AdminKeyGuard],
      exports: [ADMIN_KEY, AdminKeyGuard],
    };
  }
}
