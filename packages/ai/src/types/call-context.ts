/** How often a budget starts again: calendar periods (UTC or a configured time zone), or never. */
export type BudgetPeriod = 'daily' | 'weekly' | 'monthly' | 'total';

/** Whose budget, limit or allowlist it is: a call is charged to its key, its user and its team. */
export type LimitScope = 'key' | 'user' | 'team';

/** One budget a call must fit: `amountUsd` per `period` of a key, user or team. */
export interface BudgetRule {
  scope: LimitScope;
  /** The key's id, the user's id or the team's id. */
  id: string;
  /** What to call it in messages and alerts (a team's name); the id when absent. */
  name?: string;
  /** USD per period (decimal string). */
  amountUsd: string;
  period: BudgetPeriod;
  /** Fractions of the amount (0 < t <= 1) at which an alert goes out once per period. */
  alertThresholds?: number[];
}

/** A tokens-per-minute limit of a key or a team, counted per provider attempt. */
export interface TokenRateRule {
  scope: LimitScope;
  id: string;
  tpmLimit: number;
}

/** Models a key (or its team) may call: exact names, aliases or `provider/*` patterns. */
export interface ModelAllowlist {
  scope: LimitScope;
  id: string;
  patterns: string[];
}

/** Who a call is for; recorded on its usage row. */
export interface CallContext {
  userId: string;
  apiKeyId?: string;
  /** The team the call is charged to, if any (recorded on the row). */
  teamId?: string;
  characterId?: string;
  chatId?: string;
  /** One per incoming request; generated when absent. */
  requestId?: string;
  /** Anything else worth keeping on the row (JSON). */
  metadata?: Record<string, unknown>;
  /** Limits of the caller's virtual key (and its user and team), enforced by the limit interceptors. */
  limits?: {
    /** Total USD the key may spend over its life (decimal string): a `total` budget of the key. */
    budgetUsd?: string | null;
    /** Requests per minute (counted per incoming request by the gateway). */
    rpmLimit?: number | null;
    /** Budgets of the key, its user and its team: the call must fit every one. */
    budgets?: BudgetRule[];
    /** Tokens per minute of the key and its team. */
    tokenRates?: TokenRateRule[];
    /**
     * Told where the key's own tokens-per-minute window stands once a call is counted in
     * it (for OpenAI's `x-ratelimit-*-tokens` headers).
     */
    onTokenWindow?: (window: { limit: number; remaining: number; resetMs: number }) => void;
    /** Every list must allow the requested model. */
    allowedModels?: ModelAllowlist[];
  };
}
