import { randomUUID } from 'node:crypto';
import type { BudgetBalance, HitResult, LimitStore, ReserveResult, SlotResult } from './limit-store.js';

interface Window {
  count: number;
  endsAt: number;
}

interface Account {
  seeded: boolean;
  /** Epoch ms after which a period's account is dropped. */
  expiresAt?: number;
  spent: bigint;
  reserved: bigint;
  holds: Map<string, { amount: bigint; expiresAt: number }>;
}

// Ended windows are dropped every this many hits, so keys seen once do not pile up.
const SWEEP_EVERY = 1000;

/**
 * A LimitStore in this process's memory: limits hold for one replica only (use
 * RedisLimitStore to share them). JavaScript runs each method's check-and-update
 * without interleaving, which makes every operation atomic.
 */
export class MemoryLimitStore implements LimitStore {
  /** Breakers marked open, by target: epoch ms their mark ends. */
  private readonly breakers = new Map<string, number>();
  private readonly generations = new Map<string, number>();
  private readonly windows = new Map<string, Window>();
  private readonly accounts = new Map<string, Account>();
  private readonly seeding = new Map<string, Promise<void>>();
  /** Slots in flight by key: slot id -> epoch ms it lapses. */
  private readonly slots = new Map<string, Map<string, number>>();
  private hits = 0;

  constructor(private readonly now: () => number = Date.now) {}

  async hit(key: string, amount: number, limit: number, windowMs: number): Promise<HitResult> {
    if (++this.hits % SWEEP_EVERY === 0) this.sweep();
    const window = this.window(key);
    const count = window?.count ?? 0;
    if (count + amount > limit) {
      return {
        allowed: false,
        remaining: Math.max(0, limit - count),
        retryAfterMs: window ? window.endsAt - this.now() : windowMs,
      };
    }
    if (window) window.count += amount;
    else this.windows.set(key, { count: amount, endsAt: this.now() + windowMs });
    const resetMs = window ? window.endsAt - this.now() : windowMs;
    return { allowed: true, remaining: Math.max(0, limit - count - amount), retryAfterMs: 0, resetMs };
  }

  async adjust(key: string, delta: number, windowMs: number): Promise<void> {
    const window = this.window(key);
    if (window) window.count = Math.max(0, window.count + delta);
    else if (delta > 0) this.windows.set(key, { count: delta, endsAt: this.now() + windowMs });
  }

  async ensureSeeded(account: string, load: () => Promise<bigint>, expiresAtMs?: number): Promise<void> {
    if (this.accounts.get(account)?.seeded) return;
    // Concurrent first calls share one load, so the seed is added once.
    let pending = this.seeding.get(account);
    if (!pending) {
      pending = load()
        .then((spent) => {
          const state = this.account(account);
          if (state.seeded) return;
          state.seeded = true;
          state.expiresAt = expiresAtMs;
          state.spent += spent;
        })
        .finally(() => this.seeding.delete(account));
      this.seeding.set(account, pending);
    }
    await pending;
  }

  async reserve(
    account: string,
    amountPico: bigint,
    limitPico: bigint,
    ttlMs: number,
  ): Promise<ReserveResult> {
    const state = this.account(account);
    if (state.spent + state.reserved + amountPico > limitPico) {
      return { ok: false, reservationId: null, spentPico: state.spent, reservedPico: state.reserved };
    }
    const id = randomUUID();
    state.holds.set(id, { amount: amountPico, expiresAt: this.now() + ttlMs });
    state.reserved += amountPico;
    return { ok: true, reservationId: id, spentPico: state.spent, reservedPico: state.reserved };
  }

  async extend(account: string, reservationId: string, ttlMs: number): Promise<boolean> {
    const hold = this.account(account).holds.get(reservationId);
    if (hold) hold.expiresAt = this.now() + ttlMs;
    return hold !== undefined;
  }

  async settle(account: string, reservationId: string, actualPico: bigint): Promise<bigint> {
    const state = this.account(account);
    const hold = state.holds.get(reservationId);
    if (hold) {
      state.holds.delete(reservationId);
      state.reserved -= hold.amount;
    }
    state.spent += actualPico;
    return state.spent;
  }

  async acquire(key: string, limit: number, ttlMs: number): Promise<SlotResult> {
    const now = this.now();
    let slots = this.slots.get(key);
    if (!slots) {
      slots = new Map();
      this.slots.set(key, slots);
    }
    for (const [id, lapsesAt] of slots) if (lapsesAt <= now) slots.delete(id);
    if (slots.size >= limit) return { ok: false, slotId: null, inUse: slots.size };
    const id = randomUUID();
    slots.set(id, now + ttlMs);
    return { ok: true, slotId: id, inUse: slots.size };
  }

  async refresh(key: string, slotId: string, ttlMs: number): Promise<void> {
    const slots = this.slots.get(key);
    if (slots?.has(slotId)) slots.set(slotId, this.now() + ttlMs);
  }

  async release(key: string, slotId: string): Promise<void> {
    const slots = this.slots.get(key);
    slots?.delete(slotId);
    if (slots?.size === 0) this.slots.delete(key);
  }

  async balance(account: string): Promise<BudgetBalance> {
    const state = this.account(account);
    return { spentPico: state.spent, reservedPico: state.reserved };
  }

  async markBreakerOpen(target: string, untilMs: number): Promise<void> {
    this.breakers.set(target, Math.max(untilMs, this.breakers.get(target) ?? 0));
  }

  async openBreakers(): Promise<Record<string, number>> {
    const now = Date.now();
    for (const [target, until] of this.breakers) if (until <= now) this.breakers.delete(target);
    return Object.fromEntries(this.breakers);
  }

  async bumpGeneration(name: string): Promise<number> {
    const next = (this.generations.get(name) ?? 0) + 1;
    this.generations.set(name, next);
    return next;
  }

  async generation(name: string): Promise<number> {
    return this.generations.get(name) ?? 0;
  }

  async close(): Promise<void> {}

  private window(key: string): Window | undefined {
    const window = this.windows.get(key);
    if (window && window.endsAt <= this.now()) {
      this.windows.delete(key);
      return undefined;
    }
    return window;
  }

  /** The account with its lapsed holds released (a call that never settled must not hold budget forever). */
  private account(account: string): Account {
    let state = this.accounts.get(account);
    if (!state) {
      state = { seeded: false, spent: 0n, reserved: 0n, holds: new Map() };
      this.accounts.set(account, state);
    }
    const now = this.now();
    for (const [id, hold] of state.holds) {
      if (hold.expiresAt <= now) {
        state.holds.delete(id);
        state.reserved -= hold.amount;
      }
    }
    return state;
  }

  private sweep(): void {
    const now = this.now();
    for (const [key, window] of this.windows) if (window.endsAt <= now) this.windows.delete(key);
    // A period's account lives on a while (a call of its last moments may still settle), then goes.
    for (const [name, account] of this.accounts)
      if (account.expiresAt !== undefined && account.expiresAt <= now && account.holds.size === 0)
        this.accounts.delete(name);
  }
}
