import { Prisma } from '@aigw/db';
import { filterSql, type SummaryFilter } from './summary-filters.js';
import type { GroupName } from './usage-summary.schema.js';
import type { Interval, SummaryPlan } from './usage-summary-plan.js';

/**
 * The only SQL a group name can become: user input picks from here, never reaches the SQL.
 * `column` is the column of the `usage` rows; `select` names it as the answer's field; `order`
 * sorts.
 */
const GROUPS: Record<GroupName, { column: Prisma.Sql; select: Prisma.Sql; order: Prisma.Sql }> = {
  day: {
    column: Prisma.sql`"day"`,
    select: Prisma.sql`to_char("day", 'YYYY-MM-DD') AS "day"`,
    order: Prisma.sql`"usage"."day"`,
  },
  // '' (no team) in the rollup's key is null in the answer, and sorts first.
  team: {
    column: Prisma.sql`"teamId"`,
    select: Prisma.sql`NULLIF("teamId", '') AS "teamId"`,
    order: Prisma.sql`"usage"."teamId" COLLATE "C"`,
  },
  user: {
    column: Prisma.sql`"userId"`,
    select: Prisma.sql`"userId"`,
    order: Prisma.sql`"usage"."userId" COLLATE "C"`,
  },
  provider: {
    column: Prisma.sql`"provider"`,
    select: Prisma.sql`"provider"`,
    order: Prisma.sql`"usage"."provider" COLLATE "C"`,
  },
  model: {
    column: Prisma.sql`"model"`,
    select: Prisma.sql`"model"`,
    order: Prisma.sql`"usage"."model" COLLATE "C"`,
  },
  requestType: {
    column: Prisma.sql`"requestType"`,
    select: Prisma.sql`"requestType"`,
    order: Prisma.sql`"usage"."requestType" COLLATE "C"`,
  },
};

/**
 * Rows are ordered by day, team, user, provider, model and request type, whatever order
 * groupBy names them in.
 */
const ORDER: GroupName[] = ['day', 'team', 'user', 'provider', 'model', 'requestType'];

/** The group names asked for, in row order. */
export function groupsOf(groupBy: readonly GroupName[]): GroupName[] {
  return ORDER.filter((name) => groupBy.includes(name));
}

const iso = (t: number) => new Date(t).toISOString();
const date = (t: number) => Prisma.sql`${iso(t).slice(0, 10)}::date`;

const DAILY_COLUMNS = Prisma.sql`"day", "userId", "provider", "model", "teamId", "requestType", "requests",
  "failures", "promptTokens", "completionTokens", "totalTokens", "costUsd", "unpricedRequests"`;

/**
 * The raw AIUsageLog rows of [start, end), a part of one UTC day, summed per user, provider,
 * model, team and request type in the shape of AIUsageDaily rows; negated (sign -1) when they are taken
 * away from that day. Unknown counts and costs add nothing, as in the rollup.
 */
function logSums(interval: Interval, sign: 1 | -1, filter: SummaryFilter): Prisma.Sql {
  const s = Prisma.raw(String(sign));
  return Prisma.sql`
    SELECT ${date(interval.start)} AS "day", "userId", "provider", "model",
      COALESCE("teamId"::text, '') AS "teamId", "requestType",
      ${s} * COUNT(*) AS "requests",
      ${s} * COUNT(*) FILTER (WHERE NOT "isSuccess") AS "failures",
      ${s} * COALESCE(SUM("promptTokens"), 0) AS "promptTokens",
      ${s} * COALESCE(SUM("completionTokens"), 0) AS "completionTokens",
      ${s} * COALESCE(SUM("totalTokens"), 0) AS "totalTokens",
      ${s} * COALESCE(SUM("costUsd"), 0) AS "costUsd",
      ${s} * COUNT(*) FILTER (WHERE "costUsd" IS NULL) AS "unpricedRequests"
    FROM "AIUsageLog"
    WHERE "createdAt" >= ${iso(interval.start)}::timestamptz AND "createdAt" < ${iso(interval.end)}::timestamptz
      ${filterSql(filter, true)}
    GROUP BY "userId", "provider", "model", "teamId", "requestType"`;
}

/**
 * `"usage"`: the rows of the range (those the filter keeps) summed per day, user, provider,
 * model, team and request type, one row per group — AIUsageDaily rows of the whole days as they are, and
 * the edge days summed from their sources (raw rows added; or the day's AIUsageDaily rows
 * minus raw rows). Its teamId is the rollup's: '' for no team.
 */
function usageCte(plan: SummaryPlan, filter: SummaryFilter): Prisma.Sql {
  const edgeSources = [
    ...(plan.edgeDays.length
      ? [
          Prisma.sql`SELECT ${DAILY_COLUMNS} FROM "AIUsageDaily"
            WHERE "day" IN (${Prisma.join(plan.edgeDays.map(date))})${filterSql(filter, false)}`,
        ]
      : []),
    ...plan.addRows.map((interval) => logSums(interval, 1, filter)),
    ...plan.removeRows.map((interval) => logSums(interval, -1, filter)),
  ];
  const parts = [
    ...(plan.wholeDays
      ? [
          Prisma.sql`SELECT ${DAILY_COLUMNS} FROM "AIUsageDaily"
            WHERE "day" >= ${date(plan.wholeDays.start)} AND "day" < ${date(plan.wholeDays.end)}${filterSql(filter, false)}`,
        ]
      : []),
    ...(edgeSources.length
      ? [
          // A group whose rows were all taken away (requests = 0) has no row in the range.
          // Cast to AIUsageDaily's column types: with the same types on both sides of the
          // UNION ALL, PostgreSQL flattens it and sorts and scans its parts in parallel.
          Prisma.sql`SELECT "day", "userId", "provider", "model", "teamId", "requestType",
              SUM("requests")::bigint AS "requests",
              SUM("failures")::bigint AS "failures", SUM("promptTokens")::bigint AS "promptTokens",
              SUM("completionTokens")::bigint AS "completionTokens", SUM("totalTokens")::bigint AS "totalTokens",
              SUM("costUsd")::numeric(30, 12) AS "costUsd", SUM("unpricedRequests")::bigint AS "unpricedRequests"
            FROM (${Prisma.join(edgeSources, ' UNION ALL ')}) AS "edge"
            GROUP BY "day", "userId", "provider", "model", "teamId", "requestType"
            HAVING SUM("requests") > 0`,
        ]
      : []),
  ];
  if (parts.length === 0) throw new Error('A summary plan with no sources: the range is empty');
  return Prisma.sql`WITH "usage" AS (${Prisma.join(parts, ' UNION ALL ')})`;
}

// Money stays NUMERIC up to the wire: summed in the database and sent as text. Counts come
// back as float8: JSON numbers in the end, exact below 2^53.
const SUMS = Prisma.sql`
  COALESCE(SUM("requests"), 0)::float8 AS "requests",
  COALESCE(SUM("failures"), 0)::float8 AS "failures",
  COALESCE(SUM("promptTokens"), 0)::float8 AS "promptTokens",
  COALESCE(SUM("completionTokens"), 0)::float8 AS "completionTokens",
  COALESCE(SUM("totalTokens"), 0)::float8 AS "totalTokens",
  ROUND(COALESCE(SUM("costUsd"), 0), 12)::text AS "costUsd",
  COALESCE(SUM("unpricedRequests"), 0)::float8 AS "unpricedRequests"`;

/** The same measures of one `usage` row, when it is a group already. */
const AS_IS = Prisma.sql`
  "requests"::float8 AS "requests", "failures"::float8 AS "failures",
  "promptTokens"::float8 AS "promptTokens", "completionTokens"::float8 AS "completionTokens",
  "totalTokens"::float8 AS "totalTokens", ROUND("costUsd", 12)::text AS "costUsd",
  "unpricedRequests"::float8 AS "unpricedRequests"`;

/**
 * One statement (one snapshot) answering the summary of the rows the filter keeps: its rows
 * in order, each with the answer's fields and their JSON types; with no groups, the one row
 * of totals. Grouped by all six of day, team, user, provider, model and request type, the
 * `usage` rows are the groups already and are only sorted; otherwise they are summed per
 * group.
 */
export function summarySql(
  plan: SummaryPlan,
  groupBy: readonly GroupName[],
  filter: SummaryFilter,
): Prisma.Sql {
  const groups = groupsOf(groupBy).map((name) => GROUPS[name]);
  const usage = usageCte(plan, filter);
  if (groups.length === 0) return Prisma.sql`${usage} SELECT ${SUMS} FROM "usage"`;

  const select = Prisma.join(groups.map((g) => g.select));
  const order = Prisma.join(groups.map((g) => g.order));
  if (groups.length === ORDER.length) {
    return Prisma.sql`${usage} SELECT ${select}, ${AS_IS} FROM "usage" ORDER BY ${order}`;
  }
  return Prisma.sql`${usage}
    SELECT ${select}, ${SUMS} FROM "usage"
    GROUP BY ${Prisma.join(groups.map((g) => g.column))}
    ORDER BY ${order}`;
}
