import type { BudgetRule, ModelAllowlist, TokenRateRule } from '@aigw/ai';

/** A request-count or in-flight limit of a key or its team, as the guard enforces it. */
export interface CallerLimit {
  scope: 'key' | 'team';
  id: string;
  value: number;
}

/** Who a verified key belongs to: the call context of every request made with it. */
export interface Caller {
  apiKeyId: string;
  userId: string;
  /** The team its calls are charged to (the key's). */
  teamId: string | null;
  /** The key's lifetime budget in USD (its `total` budget), kept for older callers. */
  budgetUsd: string | null;
  rpmLimit: number | null;
  /** Epoch ms after which the key is refused; null: never. */
  expiresAtMs: number | null;
  /** Budgets of the key, its user and its team. */
  budgets: BudgetRule[];
  /** Requests per minute of the key and of its team (all its keys together). */
  requestRates: CallerLimit[];
  /** Calls in flight at once, of the key and of its team. */
  parallel: CallerLimit[];
  tokenRates: TokenRateRule[];
  allowedModels: ModelAllowlist[];
}
