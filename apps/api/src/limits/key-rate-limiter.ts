import { type LimitStore, RateLimitError } from '@aigw/ai';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Caller } from '../keys/api-keys.service.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { LIMIT_STORE, RATE_LIMIT_WINDOW_MS } from './limit-tokens.js';

/** Each virtual key's requests per minute (its `rpmLimit`), counted per incoming request. */
@Injectable()
export class KeyRateLimiter {
  private readonly logger = new Logger('KeyRateLimiter');

  constructor(
    @Inject(LIMIT_STORE) private readonly store: LimitStore,
    @Inject(RATE_LIMIT_WINDOW_MS) private readonly windowMs: number,
    private readonly metrics: MetricsService,
  ) {}

  /** Counts one request of the caller's key; throws RateLimitError (429 with retry-after) past its limit. */
  async check(caller: Caller): Promise<void> {
    if (!caller.rpmLimit) return;
    let hit: Awaited<ReturnType<LimitStore['hit']>>;
    try {
      hit = await this.store.hit(`key:${caller.apiKeyId}:rpm`, 1, caller.rpmLimit, this.windowMs);
    } catch (error) {
      // An unreachable Redis must not take every request down: budgets still hold (they fail closed).
      this.logger.warn(`Request limit of key ${caller.apiKeyId} not checked: ${(error as Error).message}`);
      return;
    }
    if (hit.allowed) return;
    this.metrics.recordLimiterRejection('key', 'rpm');
    const per = this.windowMs === 60_000 ? 'per minute' : `per ${this.windowMs / 1000} s`;
    throw new RateLimitError(
      `This API key is limited to ${caller.rpmLimit} requests ${per}; retry in ${Math.max(1, Math.ceil(hit.retryAfterMs / 1000))} s. ` +
        "An admin can raise the key's rpmLimit.",
      { retryAfterMs: hit.retryAfterMs, limit: { scope: 'key', kind: 'rpm' } },
    );
  }
}
