import { Prisma } from '@aigw/db';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Env } from '../config/env.schema.js';
import { DatabaseService } from '../database/database.service.js';
import { type DayPart, SummaryDayCache } from './summary-day-cache.js';
import {
  type DaySpan,
  mergeParts,
  partOf,
  scopeOf,
  spansOfDay,
  sumGroups,
  uncachedRuns,
} from './summary-day-spans.js';
import { filtersOf, type SummaryFilter } from './summary-filters.js';
import { measuresOf, totalsOf, type UsageMeasures, type UsageSummaryRow } from './usage-measures.js';
import type { GroupName, SummaryQuery } from './usage-summary.schema.js';
import { DAY_MS, planSummary } from './usage-summary-plan.js';
import { groupsOf, summarySql } from './usage-summary-sql.js';

export type { UsageMeasures, UsageSummaryRow } from './usage-measures.js';

/** `GET /admin/usage/summary`'s answer; the filters are there when given. */
export interface UsageSummary extends SummaryFilter {
  from: string;
  to: string;
  groupBy: GroupName[];
  rows: UsageSummaryRow[];
  totals: UsageMeasures;
}

const COMMA = Buffer.from(',');

/** How long a summary's transaction may take (a cold summary over years of raw rows). */
const SUMMARY_TRANSACTION = {
  isolationLevel: Prisma.TransactionIsolationLevel.RepeatableRead,
  maxWait: 30_000,
  timeout: 600_000,
};

/**
 * Sums usage per team, user, provider, model, request type and UTC day (all rows, or those
 * of one team, user and/or request type): whole days from the daily rollup
 * (AIUsageDaily, kept exact by triggers on AIUsageLog), partial days from the raw rows (see
 * `planSummary`), each day computed once and reused while its AIUsageDailyStamp is
 * unchanged (see `summaryJson`).
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

  /** The summary (see `summaryJson`), as objects. */
  async summarize(query: SummaryQuery): Promise<UsageSummary> {
    if (!this.fromDayParts(query)) return this.summarizeInOneStatement(query);
    return JSON.parse((await this.summaryJson(query)).toString('utf8')) as UsageSummary;
  }

  /**
   * The summary in JSON, as UTF-8 bytes, made of one part per day of the range: each day's
   * rows grouped as asked and by day, and their totals. A day's part comes from the cache
   * while the day's stamp is what it was when the part was computed; the days not cached
   * are computed together, all in one snapshot. Grouped by day, the answer's rows are the
   * parts' bytes one day after another, copied together once and never encoded again;
   * otherwise the parts' rows are summed per group across the days. With the cache off,
   * or grouped by user but not by day (nor for one user), one statement computes it all.
   */
  async summaryJson(query: SummaryQuery): Promise<Buffer> {
    if (!this.fromDayParts(query))
      return Buffer.from(JSON.stringify(await this.summarizeInOneStatement(query)));
    const groups = groupsOf(query.groupBy);
    const now = new Date();
    const parts = await this.database.prisma.$transaction(
      (tx) => this.dayParts(tx, query, groupsOf([...groups, 'day']), now),
      SUMMARY_TRANSACTION,
    );
    const range = JSON.stringify(this.range(query)).slice(0, -1);
    const totals = JSON.stringify(totalsOf(parts.map((part) => part.totals)));
    if (!groups.includes('day')) {
      const rows = groups.length ? sumGroups(parts, true) : [];
      return Buffer.from(`${range},"rows":${JSON.stringify(rows)},"totals":${totals}}`);
    }
    const chunks: Buffer[] = [Buffer.from(`${range},"rows":[`)];
    for (const part of parts) {
      if (part.json.length === 0) continue;
      if (chunks.length > 1) chunks.push(COMMA);
      chunks.push(part.json);
    }
    chunks.push(Buffer.from(`],"totals":${totals}}`));
    return Buffer.concat(chunks);
  }

  /**
   * Whether the summary is made of day parts: grouped by day, or by what has few values a
   * day (team, provider, model, request type, nothing; a user when only one user's rows are
   * summed). By user but not by day it is summed in the database: a day's part holds a row
   * per active user, and summing thousands of them across every day of a long range in
   * Node costs more than the statement does.
   */
  private fromDayParts(query: SummaryQuery): boolean {
    return (
      this.cache.enabled &&
      (query.groupBy.includes('day') || !query.groupBy.includes('user') || query.userId !== undefined)
    );
  }

  /** The summary in one SQL statement: whole days from the rollup, edges from raw rows. */
  private async summarizeInOneStatement(query: SummaryQuery): Promise<UsageSummary> {
    const plan = planSummary(query.from, query.to, new Date());
    const groups = groupsOf(query.groupBy);
    // The rows are the answer's rows as they are (up to tens of thousands: no copies).
    const rows = await this.database.prisma.$queryRaw<UsageSummaryRow[]>(summarySql(plan, groups, query));
    if (groups.length === 0) {
      return { ...this.range(query), rows: [], totals: measuresOf(rows[0] ?? {}) };
    }
    // Every row of the range is in exactly one group: the totals are the sum of the rows.
    return { ...this.range(query), rows, totals: totalsOf(rows) };
  }

  /** The parts of the range's days that have rows, in day order: cached, or computed now. */
  private async dayParts(
    tx: Prisma.TransactionClient,
    query: SummaryQuery,
    groups: GroupName[],
    now: Date,
  ): Promise<DayPart[]> {
    const range = { from: query.from.getTime(), to: query.to.getTime(), now: now.getTime() };
    const firstDay = new Date(Math.floor(range.from / DAY_MS) * DAY_MS).toISOString().slice(0, 10);
    // The tables in the order TRUNCATE "AIUsageLog" (and its trigger) takes them: a
    // TRUNCATE waits for this summary, or this summary for it, never both for each other.
    await tx.$executeRaw`LOCK TABLE "AIUsageLog", "AIUsageDaily", "AIUsageDailyStamp" IN ACCESS SHARE MODE`;
    // A day with no stamp has no rows: it adds nothing to the answer. The epoch names this
    // database and server run: a stamp is unique within one, not across a restore or a
    // re-created database, so parts from another epoch are dropped.
    const stamps = await tx.$queryRaw<{ day: string; stamp: string; epoch: string }[]>`
      SELECT to_char("day", 'YYYY-MM-DD') AS "day", "stamp"::text AS "stamp",
        (SELECT oid::text FROM pg_database WHERE datname = current_database()) || ' ' ||
          pg_postmaster_start_time()::text AS "epoch"
      FROM "AIUsageDailyStamp"
      WHERE "day" >= ${firstDay}::date AND "day" < (${query.to.toISOString()}::timestamptz AT TIME ZONE 'UTC')
      ORDER BY "day"`;
    if (stamps[0]) this.cache.useEpoch(stamps[0].epoch);
    const scope = scopeOf(groups, query);
    const days = stamps.map((day) => spansOfDay(day, range, scope, this.cache));
    for (const run of uncachedRuns(days.flat())) {
      const first = run[0] as DaySpan;
      const last = run[run.length - 1] as DaySpan;
      const plan = planSummary(new Date(first.start), new Date(last.end), now);
      const rows = await tx.$queryRaw<UsageSummaryRow[]>(summarySql(plan, groups, query));
      const byDay = new Map<string, UsageSummaryRow[]>();
      for (const row of rows) {
        const dayRows = byDay.get(row.day as string);
        if (dayRows) dayRows.push(row);
        else byDay.set(row.day as string, [row]);
      }
      for (const span of run) {
        span.part = partOf(byDay.get(span.day) ?? []);
        if (span.keep) this.cache.set(span.key, span.stamp, span.part);
      }
    }
    return days.map((spans) => mergeParts(spans.map((span) => span.part as DayPart)));
  }

  private range(query: SummaryQuery): Omit<UsageSummary, 'rows' | 'totals'> {
    return {
      from: query.from.toISOString(),
      to: query.to.toISOString(),
      groupBy: query.groupBy,
      ...filtersOf(query),
    };
  }
}
