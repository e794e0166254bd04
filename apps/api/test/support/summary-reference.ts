import { expect } from '@jest/globals';
import type pg from 'pg';
import { adminFetch } from './admin-api.js';

// The reference a summary is checked against: the same sums straight from the raw
// AIUsageLog rows, computed by PostgreSQL.

export type Group = 'user' | 'provider' | 'model' | 'day' | 'team' | 'requestType';
export type Row = Record<string, string | number | null>;
/** Which rows a summary sums besides its range: the summary's `teamId`, `userId` and `requestType` parameters. */
export interface Filter {
  teamId?: string;
  userId?: string;
  provider?: string;
  model?: string;
  requestType?: string;
}
export interface Summary {
  rows: Row[];
  totals: Row;
}

/** The reference: the same sums, straight from AIUsageLog, computed by PostgreSQL. */
const REFERENCE_GROUPS: Record<Group, { select: string; order: string }> = {
  day: {
    select: `to_char(date_trunc('day', "createdAt" AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS "day"`,
    order: '"day"',
  },
  // A uuid, null for no team: uuids order as their lower-case text does under COLLATE "C".
  team: { select: '"teamId"', order: '"teamId" NULLS FIRST' },
  user: { select: '"userId"', order: '"userId" COLLATE "C"' },
  provider: { select: '"provider"', order: '"provider" COLLATE "C"' },
  model: { select: '"model"', order: '"model" COLLATE "C"' },
  requestType: { select: '"requestType"', order: '"requestType" COLLATE "C"' },
};
const REFERENCE_MEASURES = `
  COUNT(*)::int AS "requests",
  (COUNT(*) FILTER (WHERE NOT "isSuccess"))::int AS "failures",
  COALESCE(SUM("promptTokens"), 0)::int AS "promptTokens",
  COALESCE(SUM("completionTokens"), 0)::int AS "completionTokens",
  COALESCE(SUM("totalTokens"), 0)::int AS "totalTokens",
  ROUND(COALESCE(SUM("costUsd"), 0), 12)::text AS "costUsd",
  (COUNT(*) FILTER (WHERE "costUsd" IS NULL))::int AS "unpricedRequests"`;

/** Runs SQL with parameters $1, $2… on the test's database. */
export type Query = (sql: string, params: string[]) => Promise<Row[]>;
export const viaPg =
  (client: pg.Client): Query =>
  async (sql, params) =>
    (await client.query<Row>(sql, params)).rows;

/** The rows of AIUsageDaily (as text, teamId '' for no team) that differ from the sums of the raw rows: none, when exact. */
export const ROLLUP_DIFF = `
  WITH raw AS (
    SELECT ("createdAt" AT TIME ZONE 'UTC')::date AS "day", "userId", "provider", "model",
      COALESCE("teamId"::text, '') AS "teamId", "requestType",
      COUNT(*) AS "requests", COUNT(*) FILTER (WHERE NOT "isSuccess") AS "failures",
      COALESCE(SUM("promptTokens"), 0) AS "promptTokens",
      COALESCE(SUM("completionTokens"), 0) AS "completionTokens",
      COALESCE(SUM("totalTokens"), 0) AS "totalTokens", COALESCE(SUM("costUsd"), 0) AS "costUsd",
      COUNT(*) FILTER (WHERE "costUsd" IS NULL) AS "unpricedRequests"
    FROM "AIUsageLog" GROUP BY 1, 2, 3, 4, 5, 6),
  daily AS (
    SELECT "day", "userId", "provider", "model", "teamId", "requestType", "requests", "failures",
      "promptTokens", "completionTokens", "totalTokens", "costUsd", "unpricedRequests"
    FROM "AIUsageDaily")
  SELECT to_char("day", 'YYYY-MM-DD') AS "day", "userId", "provider", "model", "teamId", "requestType" FROM
    ((SELECT * FROM raw EXCEPT ALL SELECT * FROM daily) UNION ALL (SELECT * FROM daily EXCEPT ALL SELECT * FROM raw)) AS d`;

/** The summary of [from, to) as the raw AIUsageLog rows (those `filter` keeps) say, in the summary's row order. */
export async function reference(
  query: Query,
  from: Date,
  to: Date,
  groupBy: Group[],
  filter: Filter = {},
): Promise<Summary> {
  const params = [from.toISOString(), to.toISOString()];
  let where = `"createdAt" >= $1::timestamptz AND "createdAt" < $2::timestamptz`;
  if (filter.teamId !== undefined) {
    params.push(filter.teamId);
    where += ` AND "teamId" = $${params.length}::uuid`;
  }
  if (filter.userId !== undefined) {
    params.push(filter.userId);
    where += ` AND "userId" = $${params.length}`;
  }
  for (const column of ['provider', 'model', 'requestType'] as const) {
    if (filter[column] === undefined) continue;
    params.push(filter[column]);
    where += ` AND "${column}" = $${params.length}`;
  }
  const [totals] = await query(`SELECT ${REFERENCE_MEASURES} FROM "AIUsageLog" WHERE ${where}`, params);
  const groups = (['day', 'team', 'user', 'provider', 'model', 'requestType'] as Group[]).filter((g) =>
    groupBy.includes(g),
  );
  if (groups.length === 0) return { rows: [], totals: totals as Row };
  const positions = groups.map((_, i) => i + 1).join(', ');
  const rows = await query(
    `SELECT ${groups.map((g) => REFERENCE_GROUPS[g].select).join(', ')}, ${REFERENCE_MEASURES}
     FROM "AIUsageLog" WHERE ${where} GROUP BY ${positions}
     ORDER BY ${groups.map((g) => REFERENCE_GROUPS[g].order).join(', ')}`,
    params,
  );
  return { rows, totals: totals as Row };
}

/** Every subset of the group names, in mask order. */
export function subsetsOf(groups: Group[]): Group[][] {
  return Array.from({ length: 2 ** groups.length }, (_, mask) => groups.filter((_, i) => mask & (1 << i)));
}

/** Every subset of the four group names before teams: 16 of them. */
export const SUBSETS: Group[][] = subsetsOf(['user', 'provider', 'model', 'day']);

/** The summary's query string parameters for a filter (empty for none). */
export function filterParams(filter: Filter): string {
  return [
    ...(filter.teamId === undefined ? [] : [`&teamId=${filter.teamId}`]),
    ...(filter.userId === undefined ? [] : [`&userId=${encodeURIComponent(filter.userId)}`]),
    ...(['provider', 'model', 'requestType'] as const).flatMap((name) =>
      filter[name] === undefined ? [] : [`&${name}=${encodeURIComponent(filter[name])}`],
    ),
  ].join('');
}

/**
 * Checks each groupBy (default: the 16 without team) over each range against the reference,
 * with `filter`'s parameters, asking the service `times` times each; returns how many were
 * checked.
 */
export async function expectSummariesExact(
  url: string,
  query: Query,
  ranges: [Date, Date][],
  {
    groupings = SUBSETS,
    times = 1,
    filter = {},
  }: { groupings?: Group[][]; times?: number; filter?: Filter } = {},
): Promise<number> {
  let checked = 0;
  for (const [from, to] of ranges) {
    for (const groupBy of groupings) {
      const expected = await reference(query, from, to, groupBy, filter);
      const params = `?from=${from.toISOString()}&to=${to.toISOString()}${groupBy.length ? `&groupBy=${groupBy.join(',')}` : ''}${filterParams(filter)}`;
      for (let i = 0; i < times; i++) {
        const res = await adminFetch<Summary>(url, `/admin/usage/summary${params}`);
        expect(res.status).toBe(200);
        // The query in the message, so a failure names its range and groups.
        expect({ params, rows: res.body.rows, totals: res.body.totals }).toEqual({ params, ...expected });
      }
      checked++;
    }
  }
  return checked;
}

const DAY = 86_400_000;
const HOUR = 3_600_000;

/** Whole days, partial days at either edge (on the hour and at any minute), one day's hours, up to now. */
export function rangesAround(now: number): [Date, Date][] {
  const today = Math.floor(now / DAY) * DAY;
  const dayStart = (back: number) => today - back * DAY;
  const list: [number, number][] = [
    [dayStart(10), dayStart(2)],
    [dayStart(10) + 5 * HOUR, dayStart(3) + 13 * HOUR],
    [dayStart(9) + 5 * HOUR + 1_017_003, dayStart(4) + 22 * HOUR + 2_461_999],
    [dayStart(6) + 40 * 60_000, dayStart(6) + 3 * HOUR + 5 * 60_000],
    [now - 7 * DAY, now],
    [dayStart(1) + HOUR, now + 3 * HOUR],
  ];
  return list.map(([a, b]) => [new Date(a), new Date(b)]);
}
