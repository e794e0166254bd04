import { Prisma } from '@aigw/db';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Env } from '../config/env.schema.js';
import { DatabaseService } from '../database/database.service.js';
import { type DayPart, SummaryDayCache } from './summary-day-cache.js';
import type { GroupName, SummaryQuery } from './usage-summary.schema.js';
import { DAY_MS, planSummary } from './usage-summary-plan.js';
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

/** A UTC day of a summary's range that has usage rows: its stamp and the part of it covered. */
interface StampedDay {
  day: string;
  stamp: string;
  start: number;
  end: number;
  key: string;
  part: DayPart | undefined;
}

const COMMA = Buffer.from(',');

/** How long a summary's transaction may take (a cold summary over years of raw rows). */
const SUMMARY_TRANSACTION = {
  isolationLevel: Prisma.TransactionIsolationLevel.RepeatableRead,
  maxWait: 30_000,
  timeout: 600_000,
};

/**
 * Sums usage per user, provider, model and UTC day, in the database, in one statement:
 * whole days from the daily rollup (AIUsageDaily, kept exact by triggers on AIUsageLog), the
 * partial days at the range's edges from the raw rows (see `planSummary`).
 *
 * Grouped by day, the JSON answer is made of one part per day, and a day's part is computed
 * once and reused while the day's AIUsageDailyStamp is unchanged (see `summaryJson`).
 */
@Injectable()
export class UsageSummaryService {
  private readonly cache: SummaryDayCache;

  constructor(
    private readonly database: DatabaseService,
    config: ConfigService<Env, true>,
  ) {
    this.cache = new SummaryDayCache(config.get('SUMMARY_CACHE_MB', { infer: true }) * 1024 * 1024);
  }

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

  /**
   * The summary as the UTF-8 bytes of `summarize`'s answer in JSON, byte for byte. Grouped
   * by day, its rows are the days' rows one day after another: each day's part (rows and
   * totals) comes from the cache while the day's stamp is what it was when the part was
   * computed, and the days not cached are computed together, all in one snapshot. Parts
   * are kept as bytes: the answer is copied together once, never encoded again.
   */
  async summaryJson(query: SummaryQuery): Promise<Buffer> {
    const groups = groupsOf(query.groupBy);
    if (!groups.includes('day') || !this.cache.enabled) {
      return Buffer.from(JSON.stringify(await this.summarize(query)));
    }
    const now = new Date();
    const parts = await this.database.prisma.$transaction(
      (tx) => this.dayParts(tx, query, groups, now),
      SUMMARY_TRANSACTION,
    );
    const range = JSON.stringify(this.range(query)).slice(0, -1);
    const totals = JSON.stringify(totalsOf(parts.map((part) => part.totals)));
    const chunks: Buffer[] = [Buffer.from(`${range},"rows":[`)];
    for (const part of parts) {
      if (part.json.length === 0) continue;
      if (chunks.length > 1) chunks.push(COMMA);
      chunks.push(part.json);
    }
    chunks.push(Buffer.from(`],"totals":${totals}}`));
    return Buffer.concat(chunks);
  }

  /** The parts of the range's days that have rows, in day order: cached, or computed now. */
  private async dayParts(
    tx: Prisma.TransactionClient,
    query: SummaryQuery,
    groups: GroupName[],
    now: Date,
  ): Promise<DayPart[]> {
    const from = query.from.getTime();
    const to = query.to.getTime();
    const firstDay = new Date(Math.floor(from / DAY_MS) * DAY_MS).toISOString().slice(0, 10);
    // A day with no stamp has no rows: it adds nothing to the answer.
    const stamps = await tx.$queryRaw<{ day: string; stamp: string }[]>`
      SELECT to_char("day", 'YYYY-MM-DD') AS "day", "stamp"::text AS "stamp" FROM "AIUsageDailyStamp"
      WHERE "day" >= ${firstDay}::date AND "day" < (${query.to.toISOString()}::timestamptz AT TIME ZONE 'UTC')
      ORDER BY "day"`;
    const days: StampedDay[] = stamps.map(({ day, stamp }) => {
      const midnight = Date.parse(`${day}T00:00:00Z`);
      const start = Math.max(from, midnight);
      const end = Math.min(to, midnight + DAY_MS);
      const key = `${groups.join(',')} ${start} ${end}`;
      return { day, stamp, start, end, key, part: this.cache.get(key, stamp) };
    });
    for (const run of uncachedRuns(days)) {
      const first = run[0] as StampedDay;
      const last = run[run.length - 1] as StampedDay;
      const plan = planSummary(new Date(first.start), new Date(last.end), now);
      const rows = await tx.$queryRaw<UsageSummaryRow[]>(summarySql(plan, groups));
      const byDay = new Map<string, UsageSummaryRow[]>();
      for (const row of rows) {
        const dayRows = byDay.get(row.day as string);
        if (dayRows) dayRows.push(row);
        else byDay.set(row.day as string, [row]);
      }
      for (const day of run) {
        const dayRows = byDay.get(day.day) ?? [];
        const json = Buffer.from(dayRows.map((row) => JSON.stringify(row)).join(','));
        day.part = { json, totals: totalsOf(dayRows) };
        // A part reaching past now (today's, so far) would not be asked for again.
        if (day.end <= now.getTime()) this.cache.set(day.key, day.stamp, day.part);
      }
    }
    return days.map((day) => day.part as DayPart);
  }

  private range(query: SummaryQuery): Pick<UsageSummary, 'from' | 'to' | 'groupBy'> {
    return { from: query.from.toISOString(), to: query.to.toISOString(), groupBy: query.groupBy };
  }
}

/** Runs of consecutive days (of those with rows) that are not cached: one statement each. */
function uncachedRuns(days: StampedDay[]): StampedDay[][] {
  const runs: StampedDay[][] = [];
  let run: StampedDay[] = [];
  for (const day of days) {
    if (day.part) {
      if (run.length) runs.push(run);
      run = [];
    } else {
      run.push(day);
    }
  }
  if (run.length) runs.push(run);
  return runs;
}

/** The sums of the rows' measures: counts exactly as numbers, cost exactly as a decimal. */
function totalsOf(rows: UsageMeasures[]): UsageMeasures {
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
