import type { LimitStore } from './limit-store.js';

/**
 * A stream whose consumer drops it without closing it never settles; past this its
 * hold is no longer kept alive and lapses on its own.
 */
const MAX_HOLD_MS = 60 * 60 * 1000;

/** Where a hold reports store failures it swallows. */
export interface HoldLogger {
  warn(message: string): void;
}

/** One budget account a call holds money in, and its reservation there. */
export interface HeldAccount {
  account: string;
  reservationId: string;
}

/**
 * One call's budget reservations (one per budget it must fit: its key's, user's, team's):
 * kept alive while the call runs (the store lets reservations lapse, for processes that
 * die mid-call), settled exactly once.
 */
export class BudgetHold {
  private readonly timer: NodeJS.Timeout;
  private readonly startedAt = Date.now();
  private done = false;

  constructor(
    private readonly store: LimitStore,
    private readonly held: readonly HeldAccount[],
    /** The reserved (worst-case) amount, in pico-dollars. */
    readonly amountPico: bigint,
    ttlMs: number,
    private readonly logger?: HoldLogger,
  ) {
    this.timer = setInterval(() => void this.keepAlive(ttlMs), Math.max(1, Math.floor(ttlMs / 3)));
    // The hold must not keep a process alive that is otherwise done.
    this.timer.unref();
  }

  get settled(): boolean {
    return this.done;
  }

  /**
   * Replaces each reservation with what the call really cost, and returns each account's
   * spent amount after it (undefined where the store failed). Never throws: the call's own
   * outcome matters more.
   */
  async settle(actualPico: bigint): Promise<(bigint | undefined)[]> {
    if (this.done) return [];
    this.done = true;
    clearInterval(this.timer);
    return Promise.all(
      this.held.map(async ({ account, reservationId }) => {
        try {
          return await this.store.settle(account, reservationId, actualPico);
        } catch (error) {
          this.logger?.warn(
            `Could not settle a budget reservation of ${account}: ${(error as Error).message}`,
          );
          return undefined;
        }
      }),
    );
  }

  private async keepAlive(ttlMs: number): Promise<void> {
    if (this.done || Date.now() - this.startedAt > MAX_HOLD_MS) {
      clearInterval(this.timer);
      return;
    }
    await Promise.all(
      this.held.map(async ({ account, reservationId }) => {
        try {
          await this.store.extend(account, reservationId, ttlMs);
        } catch (error) {
          this.logger?.warn(
            `Could not extend a budget reservation of ${account}: ${(error as Error).message}`,
          );
        }
      }),
    );
  }
}
