/** The outcome of one counter hit. */
export interface HitResult {
  /** Whether the hit was counted; a refused hit is never counted. */
  allowed: boolean;
  /** What is left in the current window after this hit (0 when refused at the limit). */
  remaining: number;
  /** When refused: how long until the window ends and the count starts again. */
  retryAfterMs: number;
  /** When counted: how long until the window ends (its count starts again then). */
  resetMs?: number;
}

/** The outcome of a budget reservation; amounts in pico-dollars (1e-12 USD). */
export interface ReserveResult {
  ok: boolean;
  /** Pass to `settle` / `extend`; null when refused. */
  reservationId: string | null;
  /** Spent by finished calls (including the seed from the database). */
  spentPico: bigint;
  /** Held by calls in progress (this one included when ok). */
  reservedPico: bigint;
}

/** The outcome of taking a slot (a call in flight). */
export interface SlotResult {
  ok: boolean;
  /** Pass to `refresh` / `release`; null when refused. */
  slotId: string | null;
  /** Slots taken, this one included when ok. */
  inUse: number;
}

/** What a budget account holds, in pico-dollars. */
export interface BudgetBalance {
  spentPico: bigint;
  reservedPico: bigint;
}

/**
 * Where rate-limit counters and budget accounts live: in memory for one process,
 * or in Redis so every replica enforces the same limits. Every operation is atomic,
 * so concurrent calls cannot both take the last unit of a limit.
 *
 * Counters use fixed windows that start at their first counted hit (so a window's
 * end is exact and a reset is predictable); budgets are exact integers of
 * pico-dollars, never floats.
 */
export interface LimitStore {
  /** Counts `amount` against `limit` in the window at `key`, unless it does not fit (then counts nothing). */
  hit(key: string, amount: number, limit: number, windowMs: number): Promise<HitResult>;
  /**
   * Corrects a window's count by `delta` without checking the limit (e.g. real token
   * usage after an estimate). Never below zero; a negative delta on an ended window is dropped.
   */
  adjust(key: string, delta: number, windowMs: number): Promise<void>;
  /**
   * Seeds an account's spent amount once (across replicas) from `load`, unless it is already
   * seeded. With `expiresAtMs` (a period's account), the account is dropped after that instant.
   */
  ensureSeeded(account: string, load: () => Promise<bigint>, expiresAtMs?: number): Promise<void>;
  /** Holds `amountPico` when spent + reserved + amount <= limit; the hold lapses after `ttlMs` unless extended or settled. */
  reserve(account: string, amountPico: bigint, limitPico: bigint, ttlMs: number): Promise<ReserveResult>;
  /** Keeps a reservation alive for another `ttlMs`; false when it already lapsed. */
  extend(account: string, reservationId: string, ttlMs: number): Promise<boolean>;
  /** Releases the reservation (if it has not lapsed) and adds what the call really cost; returns the account's spent amount. */
  settle(account: string, reservationId: string, actualPico: bigint): Promise<bigint>;
  /** The account's spent and reserved amounts. */
  balance(account: string): Promise<BudgetBalance>;
  /**
   * Takes one of `limit` slots at `key` (calls in flight), refused when all are taken. A slot
   * lapses after `ttlMs` unless refreshed or released, so a process that dies frees its slots.
   */
  acquire(key: string, limit: number, ttlMs: number): Promise<SlotResult>;
  /** Keeps a slot alive for another `ttlMs`. */
  refresh(key: string, slotId: string, ttlMs: number): Promise<void>;
  /** Frees a slot. */
  release(key: string, slotId: string): Promise<void>;
  /** Marks a target's circuit breaker open for every replica until `untilMs` (epoch ms). */
  markBreakerOpen(target: string, untilMs: number): Promise<void>;
  /** Targets some replica marked open, with the epoch ms their mark ends. */
  openBreakers(): Promise<Record<string, number>>;
  /**
   * Bumps the generation counter `name` and returns its new value: replicas polling
   * `generation(name)` see that something they cache (say, verified API keys) changed.
   */
  bumpGeneration(name: string): Promise<number>;
  /** The generation counter `name` (0 until first bumped). */
  generation(name: string): Promise<number>;
  /** Releases the store's connection, if it owns one. */
  close(): Promise<void>;
}
