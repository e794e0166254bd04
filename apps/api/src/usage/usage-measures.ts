import { sumUsd } from './usd-sum.js';

/** What a summary measures over a set of usage rows. */
export interface UsageMeasures {
  /** Rows (provider call attempts). */
  requests: number;
  /** Rows with isSuccess = false. */
  failures: number;
  /** Sums; unknown (null) counts add nothing. */
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  /** Sum in USD, exact, 12 digits after the point. Incomplete when unpricedRequests > 0. */
  costUsd: string;
  /** Rows without a cost (the model had no known price). */
  unpricedRequests: number;
}

/**
 * One group of a summary: its group fields (those asked for; teamId null for calls outside
 * any team) and its measures.
 */
export type UsageSummaryRow = Partial<
  Record<'userId' | 'provider' | 'model' | 'requestType' | 'day', string>
> & {
  teamId?: string | null;
} & UsageMeasures;

/** The sums of the rows' measures: counts exactly as numbers, cost exactly as a decimal. */
export function totalsOf(rows: UsageMeasures[]): UsageMeasures {
  const totals = measuresOf({});
  for (const row of rows) {
    totals.requests += row.requests;
    totals.failures += row.failures;
    totals.promptTokens += row.promptTokens;
    totals.completionTokens += row.completionTokens;
    totals.totalTokens += row.totalTokens;
    totals.unpricedRequests += row.unpricedRequests;
  }
  totals.costUsd = sumUsd(rows.map((row) => row.costUsd));
  return totals;
}

/** The measures of a row of sums (none: zeros). */
export function measuresOf(raw: Partial<UsageMeasures>): UsageMeasures {
  const count = (key: keyof UsageMeasures) => Number(raw[key] ?? 0);
  return {
    requests: count('requests'),
    failures: count('failures'),
    promptTokens: count('promptTokens'),
    completionTokens: count('completionTokens'),
    totalTokens: count('totalTokens'),
    costUsd: String(raw.costUsd ?? '0.000000000000'),
    unpricedRequests: count('unpricedRequests'),
  };
}
