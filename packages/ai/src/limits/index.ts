export { BudgetHold } from './budget-hold.js';
export { BudgetInterceptor } from './budget-interceptor.js';
export {
  BudgetLedger,
  type BudgetLedgerOptions,
  type BudgetStanding,
  LedgerHold,
  type SpentLoader,
} from './budget-ledger.js';
export { type BudgetWindow, budgetWindow, isTimeZone } from './budget-period.js';
export type { BudgetSpend, BudgetSpendListener } from './budget-spend.js';
export type { BudgetBalance, HitResult, LimitStore, ReserveResult } from './limit-store.js';
export type { LimitsOptions } from './limits-options.js';
export { MemoryLimitStore } from './memory-limit-store.js';
export { picoToUsd, usdToPico } from './pico-usd.js';
export { providerRateLimits } from './provider-rate-limits.js';
export {
  type ProviderRateLimit,
  RateLimitInterceptor,
  type RateLimitInterceptorOptions,
} from './rate-limit-interceptor.js';
export { RedisLimitStore, type RedisLimitStoreOptions } from './redis-limit-store.js';
export { spentFromPrisma } from './spent-from-prisma.js';
export {
  DEFAULT_MAX_OUTPUT_TOKENS,
  PROMPT_MARGIN,
  type WorstCase,
  worstCaseChatCost,
  worstCaseEmbedCost,
} from './worst-case-cost.js';
