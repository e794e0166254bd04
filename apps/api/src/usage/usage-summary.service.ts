import { Injectable } from '@nestjs/common';
import { DatabaseService } from '../database/database.service.js';
import type { GroupName, SummaryQuery } from './usage-summary.schema.js';
import { planSummary } from './usage-summary-plan.js';
import { groupsOf, summarySql } from './usage-summary-sql.js';
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

/** One group of a summary: its group fields (those asked for) and its measures. */
export type UsageSummaryRow = Partial<Record<'userId' | 'provider' | 'model' | 'day', string>> &
  UsageMeasures;

/** `GET /admin/usage/summary`'s answer. */
export interface UsageSummary {
  from: string;
  to: string;
  groupBy: GroupName[];
  rows: UsageSummaryRow[];
  totals: UsageMeasures;
}

/**
 * Sums usage per user, provider, model and UTC day, in the database, in one statement:
 * whole days from the daily rollup (AIUsageDaily, kept exact by triggers on AIUsageLog), the
 * partial days at the range's edges from the raw rows (see `planSummary`).
 */
@Injectable()
export class UsageSummaryService {
  constructor(private readonly database: DatabaseService) {}

  async summarize(query: SummaryQuery): Promise<UsageSummary> {
    const plan = planSummary(query.from, query.to, new Date());
    const groups = groupsOf(query.groupBy);
    // The rows are the answer's rows as they are (up to tens of thousands: no copies).
    const rows = await this.database.prisma.$queryRaw<UsageSummaryRow[]>(summarySql(plan, groups));
    if (groups.length === 0) {
      return { ...this.range(query), rows: [], totals: measuresOf(rows[0] ?? {}) };
    }
    // Every row of the range is in exactly one group: the totals are the sum of the rows.
    return { ...this.range(query), rows, totals: totalsOf(rows) };
  }

  private range(query: SummaryQuery): Pick<UsageSummary, 'from' | 'to' | 'groupBy'> {
    return { from: query.from.toISOString(), to: query.to.toISOString(), groupBy: query.groupBy };
  }
}

/** The sums of the rows' measures: counts exactly as numbers, cost exactly as a decimal. */
function totalsOf(rows: UsageSummaryRow[]): UsageMeasures {
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
function measuresOf(raw: Partial<UsageMeasures>): UsageMeasures {
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
