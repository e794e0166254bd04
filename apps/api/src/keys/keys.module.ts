import type { LimitStore } from '@aigw/ai';
import { type DynamicModule, Global, Logger, Module } from '@nestjs/common';
import { BudgetStatusService } from '../budgets/budget-status.service.js';
import type { Env } from '../config/env.schema.js';
import { LIMIT_STORE } from '../limits/limit-tokens.js';
import { ApiKeysService } from './api-keys.service.js';
import { KeyChangeSync } from './key-change-sync.js';
import { KeysController } from './keys.controller.js';
import { VerifiedKeyCache } from './verified-key-cache.js';
import { VirtualKeyGuard } from './virtual-key.guard.js';

/** Virtual keys: the service, the guard of the /v1 routes, and the admin routes that manage them. */
@Global()
@Module({})
export class KeysModule {
  static forRoot(env: Pick<Env, 'KEY_CACHE_TTL_MS'>): DynamicModule {
    return {
      module: KeysModule,
      controllers: [KeysController],
      providers: [
        { provide: VerifiedKeyCache, useValue: new VerifiedKeyCache(env.KEY_CACHE_TTL_MS) },
        {
          provide: KeyChangeSync,
          inject: [LIMIT_STORE, VerifiedKeyCache],
          useFactory: (store: LimitStore, cache: VerifiedKeyCache) => {
            const logger = new Logger('ApiKeys');
            return new KeyChangeSync(store, cache, (error) =>
              logger.warn(`Sharing key changes failed: ${error.message}`),
            );
          },
        },
        ApiKeysService,
        VirtualKeyGuard,
        BudgetStatusService,
      ],
      exports: [ApiKeysService, VirtualKeyGuard, BudgetStatusService],
    };
  }
}
