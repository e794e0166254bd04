import type pg from 'pg';

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
