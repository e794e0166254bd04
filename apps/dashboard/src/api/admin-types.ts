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

export type SummaryRow = Partial<Record<'userId' | 'provider' | 'model' | 'day', string>> & UsageMeasures;

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

export interface ApiKeyView {
  id: string;
  keyPrefix: string;
  userId: string;
  name: string | null;
  budgetUsd: string | null;
  rpmLimit: number | null;
  createdAt: string;
  revokedAt: string | null;
}

export type IssuedKey = ApiKeyView & { key: string };

export interface NewKeyInput {
  userId: string;
  name?: string;
  budgetUsd?: string;
  rpmLimit?: number;
}

export interface KeyChanges {
  name?: string | null;
  budgetUsd?: string | null;
  rpmLimit?: number | null;
}
