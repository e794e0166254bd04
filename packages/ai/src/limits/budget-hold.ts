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

/**
 * One call's budget reservation: kept alive while the call runs (the store lets
 * reservations lapse, for processes that die mid-call), settled exactly once.
 */
export class BudgetHold {
  private readonly timer: NodeJS.Timeout;
  private readonly startedAt = Date.now();
  private done = false;

  constructor(
    private readonly store: LimitStore,
    private readonly account: string,
    private readonly reservationId: string,
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

  /** Replaces the reservation with what the call really cost. Never throws: the call's own outcome matters more. */
  async settle(actualPico: bigint): Promise<void> {
    if (this.done) return;
    this.done = true;
    clearInterval(this.timer);
    try {
      await this.store.settle(this.account, this.reservationId, actualPico);
    } catch (error) {
      this.logger?.warn(
        `Could not settle a budget reservation of ${this.account}: ${(error as Error).message}`,
      );
    }
  }

  private async keepAlive(ttlMs: number): Promise<void> {
    if (this.done || Date.now() - this.startedAt > MAX_HOLD_MS) {
      clearInterval(this.timer);
      return;
    }
    try {
      await this.store.extend(this.account, this.reservationId, ttlMs);
    } catch (error) {
      this.logger?.warn(
        `Could not extend a budget reservation of ${this.account}: ${(error as Error).message}`,
      );
    }
  }
}
