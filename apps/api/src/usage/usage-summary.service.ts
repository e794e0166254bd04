import { Prisma } from '@aigw/db';
import { Injectable } from '@nestjs/common';
import { DatabaseService } from '../database/database.service.js';
import type { GroupName, SummaryQuery } from './usage-summary.schema.js';

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

/** The only SQL a group name can become: user input picks from here, never reaches the SQL. */
const DAY = Prisma.sql`to_char(date_trunc('day', "createdAt" AT TIME ZONE 'UTC'), 'YYYY-MM-DD')`;
const GROUPS: Record<GroupName, { field: keyof UsageSummaryRow; sql: Prisma.Sql; select: Prisma.Sql }> = {
  day: { field: 'day', sql: DAY, select: Prisma.sql`${DAY} AS "day"` },
  user: { field: 'userId', sql: Prisma.sql`"userId"`, select: Prisma.sql`"userId"` },
  provider: { field: 'provider', sql: Prisma.sql`"provider"`, select: Prisma.sql`"provider"` },
  model: { field: 'model', sql: Prisma.sql`"model"`, select: Prisma.sql`"model"` },
};
const ORDER: GroupName[] = ['day', 'user', 'provider', 'model'];

// Money stays NUMERIC up to the wire: summed in the database and sent as text.
const MEASURES = Prisma.sql`
  COUNT(*) AS "requests",
  COUNT(*) FILTER (WHERE NOT "isSuccess") AS "failures",
  COALESCE(SUM("promptTokens"), 0) AS "promptTokens",
  COALESCE(SUM("completionTokens"), 0) AS "completionTokens",
  COALESCE(SUM("totalTokens"), 0) AS "totalTokens",
  ROUND(COALESCE(SUM("costUsd"), 0), 12)::text AS "costUsd",
  COUNT(*) FILTER (WHERE "costUsd" IS NULL) AS "unpricedRequests"`;

type RawRow = Record<string, unknown>;

/** Sums usage per user, provider, model and UTC day, in the database. */
@Injectable()
export class UsageSummaryService {
  constructor(private readonly database: DatabaseService) {}

  async summarize(query: SummaryQuery): Promise<UsageSummary> {
    const prisma = this.database.prisma;
    // The range as text cast in SQL: no driver time-zone guesswork on Date parameters.
    const where = Prisma.sql`"createdAt" >= ${query.from.toISOString()}::timestamptz AND "createdAt" < ${query.to.toISOString()}::timestamptz`;
    const totalsSql = Prisma.sql`SELECT ${MEASURES} FROM "AIUsageLog" WHERE ${where}`;
    const groups = ORDER.filter((name) => query.groupBy.includes(name)).map((name) => GROUPS[name]);

    let rawRows: RawRow[] = [];
    let rawTotals: RawRow[];
    if (groups.length === 0) {
      rawTotals = await prisma.$queryRaw<RawRow[]>(totalsSql);
    } else {
      const columns = groups.map((g) => g.sql);
      const rowsSql = Prisma.sql`
        SELECT ${Prisma.join(groups.map((g) => g.select))}, ${MEASURES}
        FROM "AIUsageLog" WHERE ${where}
        GROUP BY ${Prisma.join(columns)}
        ORDER BY ${Prisma.join(columns.map((c) => Prisma.sql`${c} COLLATE "C"`))}`;
      // One snapshot for both, so the totals always equal the sum of the rows.
      [rawRows, rawTotals] = await prisma.$transaction(
        [prisma.$queryRaw<RawRow[]>(rowsSql), prisma.$queryRaw<RawRow[]>(totalsSql)],
        { isolationLevel: 'RepeatableRead' },
      );
    }

    return {
      from: query.from.toISOString(),
      to: query.to.toISOString(),
      groupBy: query.groupBy,
      rows: rawRows.map((raw) => ({
        ...Object.fromEntries(groups.map((g) => [g.field, String(raw[g.field])])),
        ...measuresOf(raw),
      })),
      totals: measuresOf(rawTotals[0] ?? {}),
    };
  }
}

/** COUNT and SUM of integers come back as bigint: plain numbers here (far below 2^53). */
function measuresOf(raw: RawRow): UsageMeasures {
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
