import type { SpentLoader } from './budget-ledger.js';
import type { BudgetSpendListener } from './budget-spend.js';
import type { LimitStore } from './limit-store.js';

/** AiModule's `limits` option: where limits live and how budgets start. */
export interface LimitsOptions {
  /**
   * Counters and budget accounts (default: a MemoryLimitStore, this process only). Use a
   * RedisLimitStore to share them across replicas; whoever creates a store closes it.
   */
  store?: LimitStore;
  /** Length of the rpm/tpm window (default 60000). */
  windowMs?: number;
  /**
   * What a key, user or team has spent since a period's start (default: the sum of its
   * AIUsageLog.costUsd through `prisma`, else 0).
   */
  loadSpentUsd?: SpentLoader;
  /** How long a budget reservation outlives a process that died mid-call (default 120000). */
  reservationTtlMs?: number;
  /** The IANA time zone whose calendar days, weeks and months budgets reset on (default UTC). */
  timeZone?: string;
  /** The clock of budget periods (default Date.now); tests move it. */
  now?: () => number;
  /** Told each budget's spend after a call settled (spend alerts). */
  onBudgetSpend?: BudgetSpendListener;
}
