import type { LimitStore } from '../limits/limit-store.js';
import type { CircuitBreakers } from './circuit-breakers.js';

/**
 * Shares breaker state across replicas through the limit store (Redis when configured):
 * a breaker that opens here is marked open for everyone; marks made by other replicas
 * are polled and applied here, so a failing provider is skipped by all of them.
 */
export class SharedBreakerSync {
  private timer?: NodeJS.Timeout;
  private polling?: Promise<void>;
  /** Failing now: told once, not on every poll, until a poll works again. */
  private failing = false;

  constructor(
    private readonly breakers: CircuitBreakers,
    private readonly store: LimitStore,
    private readonly onError: (error: Error) => void,
    /** One small read of the store per replica: a breaker opened elsewhere applies here within this. */
    private readonly pollMs = 250,
  ) {}

  /** Publishes a local opening (wired as the breakers' `onOpen`). */
  published(target: string, untilMs: number): void {
    this.store.markBreakerOpen(target, untilMs).catch((error: Error) => this.onError(error));
  }

  start(): void {
    this.timer = setInterval(() => void this.poll(), this.pollMs);
    this.timer.unref();
    void this.poll();
  }

  /** Applies every mark other replicas made (and is safe to call at any time). */
  poll(): Promise<void> {
    this.polling ??= this.store
      .openBreakers()
      .then((open) => {
        for (const [target, until] of Object.entries(open)) this.breakers.isolateUntil(target, until);
        this.failing = false;
      })
      .catch((error: Error) => {
        if (!this.failing) this.onError(error);
        this.failing = true;
      })
      .finally(() => {
        this.polling = undefined;
      });
    return this.polling;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.polling;
  }
}
