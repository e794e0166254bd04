import type { LimitStore } from '@aigw/ai';
import type { VerifiedKeyCache } from './verified-key-cache.js';

/** The generation counter bumped on every key change, in the limit store. */
const GENERATION = 'api-keys';

/**
 * Tells the other replicas that a key changed: a revoke or an edit bumps a generation
 * counter in the limit store (Redis when REDIS_URL is set), and each replica polls it
 * every `pollMs` and empties its VerifiedKeyCache when it moved. So a revoked key stops
 * working everywhere within about `pollMs`, and at once on the replica that revoked it.
 * While the store cannot be read, cached keys still expire after the cache's TTL.
 */
export class KeyChangeSync {
  private timer?: NodeJS.Timeout;
  private seen?: number;
  private polling?: Promise<void>;

  constructor(
    private readonly store: LimitStore,
    private readonly cache: VerifiedKeyCache,
    private readonly onError: (error: Error) => void,
    private readonly pollMs = 250,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.poll(), this.pollMs);
    this.timer.unref();
    void this.poll();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.polling;
  }

  /** Announces a change made here (after the cache here was updated). */
  async changed(): Promise<void> {
    try {
      const before = this.seen;
      const now = await this.store.bumpGeneration(GENERATION);
      // Another replica's change came in between: what it changed may be cached here.
      if (before === undefined || now !== before + 1) this.cache.clear();
      this.seen = now;
    } catch (error) {
      this.onError(error as Error);
    }
  }

  poll(): Promise<void> {
    this.polling ??= this.store
      .generation(GENERATION)
      .then((generation) => {
        if (this.seen !== undefined && generation !== this.seen) this.cache.clear();
        this.seen = generation;
      })
      .catch((error: Error) => this.onError(error))
      .finally(() => {
        this.polling = undefined;
      });
    return this.polling;
  }
}
