import { Prisma } from '@aigw/db';

/**
 * The filters a usage summary takes, each the AIUsageLog column of that name: only the rows
 * whose column equals the value are summed. One list for the query, the SQL, the cache
 * key and the answer.
 */
export const SUMMARY_FILTERS = ['teamId', 'userId', 'provider', 'model', 'requestType'] as const;

/** One summary filter's name (its column's). */
export type SummaryFilterName = (typeof SUMMARY_FILTERS)[number];

/** Which rows a summary sums, besides its range: all of them unless a filter is given. */
export type SummaryFilter = Partial<Record<SummaryFilterName, string>>;

/** The filters given in `query`, in SUMMARY_FILTERS' order (none: `{}`). */
export function filtersOf(query: SummaryFilter): SummaryFilter {
  const given: SummaryFilter = {};
  for (const name of SUMMARY_FILTERS) if (query[name] !== undefined) given[name] = query[name];
  return given;
}

/**
 * The filter's conditions on AIUsageDaily rows (`log` false) or AIUsageLog rows, each
 * starting with AND; empty with no filter. The rollup keeps the team as text, the log as
 * a uuid.
 */
export function filterSql(filter: SummaryFilter, log: boolean): Prisma.Sql {
  const conditions = Object.entries(filtersOf(filter)).map(([name, value]) =>
    name === 'teamId' && log
      ? Prisma.sql` AND "teamId" = ${value}::uuid`
      : Prisma.sql` AND ${Prisma.raw(`"${name}"`)} = ${value}`,
  );
  return conditions.length ? Prisma.join(conditions, '') : Prisma.empty;
}
