import type { BudgetRule } from '../types/call-context.js';

/**
 * What a budget account holds after a call settled: told to `LimitsOptions.onBudgetSpend`
 * (the gateway's spend alerts), once per budget of the call.
 */
export interface BudgetSpend {
  rule: BudgetRule;
  /** The store's account of this rule's current period (unique per budget and period). */
  account: string;
  /** The budget's amount and what is spent in this period (settled calls), in USD decimal strings. */
  amountUsd: string;
  spentUsd: string;
  /** Epoch ms of the period's start (0 for `total`), and of its reset (null for `total`). */
  periodStartMs: number;
  resetsAtMs: number | null;
  /** The call that settled: its key, user and team. */
  apiKeyId?: string;
  userId: string;
  teamId?: string;
}

/** Called after a call settled, for each budget it was charged to; must not throw, must not block. */
export type BudgetSpendListener = (spend: BudgetSpend) => void;
