import type { SpentLoader } from './budget-interceptor.js';
import type { LimitStore } from './limit-store.js';

/** AiModule's `limits` option: where limits live and how budgets start. */
export interface LimitsOptions {
  /**
   * Counters and budget accounts (default: a MemoryLimitStore, this process only). Use a
   * RedisLimitStore to share them across replicas; whoever creates a store closes it.
   */
  store?: LimitStore;
  /** Length of the providers' rpm/tpm window (default 60000). */
  windowMs?: number;
  /** What a virtual key has spent so far (default: the sum of its AIUsageLog.costUsd through `prisma`, else 0). */
  loadSpentUsd?: SpentLoader;
  /** How long a budget reservation outlives a process that died mid-call (default 120000). */
  reservationTtlMs?: number;
}
