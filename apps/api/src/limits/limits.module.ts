import { type LimitStore, MemoryLimitStore, RedisLimitStore } from '@aigw/ai';
import {
  type DynamicModule,
  Global,
  Inject,
  Logger,
  Module,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { Env } from '../config/env.schema.js';
import { CallerLimiter } from './caller-limiter.js';
import { LIMIT_STORE, RATE_LIMIT_WINDOW_MS } from './limit-tokens.js';

/**
 * Where rate limits and budgets are counted: Redis when REDIS_URL is set (shared by
 * every replica), else this process's memory. Closes the Redis connection last, once
 * requests have drained.
 */
@Global()
@Module({})
export class LimitsModule implements OnApplicationShutdown {
  constructor(@Inject(LIMIT_STORE) private readonly store: LimitStore) {}

  static forRoot(env: Pick<Env, 'REDIS_URL' | 'REDIS_KEY_PREFIX' | 'RATE_LIMIT_WINDOW_MS'>): DynamicModule {
    return {
      module: LimitsModule,
      providers: [
        {
          provide: LIMIT_STORE,
          useFactory: (): LimitStore => {
            if (!env.REDIS_URL) return new MemoryLimitStore();
            const logger = new Logger('LimitStore');
            return RedisLimitStore.connect(env.REDIS_URL, {
              keyPrefix: env.REDIS_KEY_PREFIX,
              onError: (error) => logger.warn(`Redis: ${error.message}`),
            });
          },
        },
        { provide: RATE_LIMIT_WINDOW_MS, useValue: env.RATE_LIMIT_WINDOW_MS },
        CallerLimiter,
      ],
      exports: [LIMIT_STORE, RATE_LIMIT_WINDOW_MS, CallerLimiter],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}
