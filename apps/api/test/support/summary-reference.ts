import { expect } from '@jest/globals';
import type pg from 'pg';
import { adminFetch } from './admin-api.js';

// The reference a summary is checked against: the same sums straight from the raw
// AIUsageLog rows, computed by PostgreSQL.

export type Group = 'user' | 'provider' | 'model' | 'day';
export type Row = Record<string, string | number>;
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
  user: { select: '"userId"', order: '"userId" COLLATE "C"' },
  provider: { select: '"provider"', order: '"provider" COLLATE "C"' },
  model: { select: '"model"', order: '"model" COLLATE "C"' },
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

export async function reference(query: Query, from: Date, to: Date, groupBy: Group[]): Promise<Summary> {
  const where = `"createdAt" >= $1::timestamptz AND "createdAt" < $2::timestamptz`;
  const range = [from.toISOString(), to.toISOString()];
  const [totals] = await query(`SELECT ${REFERENCE_MEASURES} FROM "AIUsageLog" WHERE ${where}`, range);
  const groups = (['day', 'user', 'provider', 'model'] as Group[]).filter((g) => groupBy.includes(g));
  if (groups.length === 0) return { rows: [], totals: totals as Row };
  const positions = groups.map((_, i) => i + 1).join(', ');
  const rows = await query(
    `SELECT ${groups.map((g) => REFERENCE_GROUPS[g].select).join(', ')}, ${REFERENCE_MEASURES}
     FROM "AIUsageLog" WHERE ${where} GROUP BY ${positions}
     ORDER BY ${groups.map((g) => REFERENCE_GROUPS[g].order).join(', ')}`,
    range,
  );
  return { rows, totals: totals as Row };
}

const GROUPS: Group[] = ['user', 'provider', 'model', 'day'];
/** Every subset of the four group names: 16 of them. */
export const SUBSETS: Group[][] = Array.from({ length: 16 }, (_, mask) =>
  GROUPS.filter((_, i) => mask & (1 << i)),
);

/**
 * Checks each groupBy (default: all 16) over each range against the reference, asking the
 * service `times` times each; returns how many were checked.
 */
export async function expectSummariesExact(
  url: string,
  query: Query,
  ranges: [Date, Date][],
  { groupings = SUBSETS, times = 1 }: { groupings?: Group[][]; times?: number } = {},
): Promise<number> {
  let checked = 0;
  for (const [from, to] of ranges) {
    for (const groupBy of groupings) {
      const expected = await reference(query, from, to, groupBy);
      const params = `?from=${from.toISOString()}&to=${to.toISOString()}${groupBy.length ? `&groupBy=${groupBy.join(',')}` : ''}`;
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
