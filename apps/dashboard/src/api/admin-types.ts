// The admin API's answers, as the page reads them (see apps/api/src/usage and keys).

export interface UsageMeasures {
  requests: number;
  failures: number;
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  /** Exact decimal string, 12 places. */
  costUsd: string;
  unpricedRequests: number;
}

export type SummaryRow = Partial<
  Record<'userId' | 'provider' | 'model' | 'day' | 'teamId' | 'requestType', string>
> &
  UsageMeasures;

export interface UsageSummary {
  from: string;
  to: string;
  groupBy: string[];
  rows: SummaryRow[];
  totals: UsageMeasures;
}

export interface Percentiles {
  p50: number | null;
  p95: number | null;
}

export interface ReliabilityMeasures {
  requests: number;
  failures: number;
  failureRate: number | null;
  latencyMs: Percentiles;
  timeToFirstTokenMs: Percentiles;
}

export interface ProviderReliability extends ReliabilityMeasures {
  provider: string;
  configured: boolean;
  displayName: string | null;
  type: string | null;
  demo: boolean;
  breaker: 'closed' | 'open' | 'half-open' | null;
}

export interface ProvidersReliability {
  from: string;
  to: string;
  providers: ProviderReliability[];
  totals: ReliabilityMeasures;
}

export interface UserBudget {
  budgetUsd: string;
  spentUsd: string;
  used: number | null;
  budgetedKeys: number;
  unbudgetedKeys: number;
}

export type TopUser = { userId: string } & UsageMeasures & { activeKeys: number; budget: UserBudget | null };

export interface TopUsers {
  from: string;
  to: string;
  totalUsers: number;
  rows: TopUser[];
}

export interface UsageLogItem {
  id: string;
  requestId: string;
  attempt: number;
  userId: string;
  apiKeyId: string | null;
  /** The team the call was charged to; absent from gateways older than teams. */
  teamId?: string | null;
  provider: string;
  model: string;
  requestedModel: string;
  requestType: string;
  stream: boolean;
  promptTokens: number | null;
  cacheReadTokens: number | null;
  cacheWriteTokens: number | null;
  completionTokens: number | null;
  reasoningTokens: number | null;
  totalTokens: number | null;
  usageSource: string;
  costUsd: string | null;
  pricing: unknown;
  isSuccess: boolean;
  errorCode: string | null;
  httpStatus: number | null;
  latencyMs: number;
  timeToFirstTokenMs: number | null;
  characterId: string | null;
  chatId: string | null;
  metadata: unknown;
  createdAt: string;
}

export interface UsageLogsPage {
  items: UsageLogItem[];
  nextCursor: string | null;
}

/** How often a budget starts again (UTC calendar periods; `total` never does). */
export type BudgetPeriod = 'daily' | 'weekly' | 'monthly' | 'total';

/** A budget as the admin API keeps it: an amount per period, with the fractions that alert. */
export interface Budget {
  /** Exact decimal string (the API also takes a number on input). */
  amountUsd: string;
  period: BudgetPeriod;
  /** Fractions of the amount (0 < t <= 1) that send an alert; default [0.8]. */
  alertThresholds?: number[];
}

/** A budget input: the amount as typed (decimal string). */
export type BudgetInput = Budget;

/** What a key, user or team has spent against one of its budgets, in the current period. */
export interface BudgetStatus {
  scope: 'key' | 'user' | 'team';
  id: string;
  name: string | null;
  period: BudgetPeriod;
  amountUsd: string;
  spentUsd: string;
  usedFraction: number;
  periodStart: string | null;
  resetsAt: string | null;
  alertThresholds: number[];
  state: 'ok' | 'alert' | 'exceeded';
}

export interface ApiKeyView {
  id: string;
  keyPrefix: string;
  userId: string;
  teamId: string | null;
  name: string | null;
  /** The key's `total` budget amount (kept for older clients); `budgets` has them all. */
  budgetUsd: string | null;
  budgets: Budget[];
  rpmLimit: number | null;
  tpmLimit: number | null;
  maxParallel: number | null;
  /** Model patterns the key may call (`gpt-4o`, `smart`, `anthropic/*`); empty: any. */
  allowedModels: string[];
  expiresAt: string | null;
  createdAt: string;
  revokedAt: string | null;
}

/** `GET /admin/keys/:id`: the key with its spend against each budget. */
export type ApiKeyDetail = ApiKeyView & { spend: BudgetStatus[] };

export type IssuedKey = ApiKeyView & { key: string };

/** The limits a key is issued with or changed to (null clears one on PATCH). */
export interface KeyLimits {
  teamId?: string | null;
  budgets?: BudgetInput[];
  rpmLimit?: number | null;
  tpmLimit?: number | null;
  maxParallel?: number | null;
  allowedModels?: string[];
  expiresAt?: string | null;
}

export interface NewKeyInput extends KeyLimits {
  userId: string;
  name?: string;
}

export interface KeyChanges extends KeyLimits {
  name?: string | null;
}

export interface TeamView {
  id: string;
  name: string;
  budgets: Budget[];
  rpmLimit: number | null;
  tpmLimit: number | null;
  maxParallel: number | null;
  allowedModels: string[];
  alertWebhookUrl: string | null;
  alertWebhookFormat: 'json' | 'slack';
  hasAlertWebhookSecret: boolean;
  memberCount: number;
  keyCount: number;
  createdAt: string;
  updatedAt: string;
}

/** A row of `GET /admin/teams`: the team with its spend this period. */
export type TeamListItem = TeamView & { spend: BudgetStatus[] };

/** `GET /admin/teams/:id`: the team, its spend, who and what spent it this month (UTC), its members. */
export type TeamDetail = TeamListItem & {
  topUsers: { userId: string; requests: number; costUsd: string }[];
  topModels: { provider: string; model: string; requests: number; costUsd: string }[];
  members: { userId: string; addedAt: string }[];
};

/** `POST /admin/teams`, as the page sends it. */
export interface NewTeamInput {
  name: string;
  budgets?: BudgetInput[];
  members?: string[];
}
