import type { PrismaClient } from '@aigw/db';
import type { SpentLoader } from './budget-ledger.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const COLUMN = { key: 'apiKeyId', user: 'userId', team: 'teamId' } as const;

/**
 * A lifetime's spend in one statement (so one snapshot: a retention batch moving rows into
 * AIUsageRetired is seen wholly or not at all): the rows' costUsd plus the retired rows'.
 * AIUsageRetired keeps ids as text ('' for none); null costs add nothing to either sum.
 */
const LIFETIME_SQL = {
  key: lifetimeSql('"apiKeyId" = $1::text::uuid', '"apiKeyId" = $1::text'),
  user: lifetimeSql('"userId" = $1::text', '"userId" = $1::text'),
  team: lifetimeSql('"teamId" = $1::text::uuid', '"teamId" = $1::text'),
} as const;

function lifetimeSql(logWhere: string, retiredWhere: string): string {
  return `SELECT (COALESCE((SELECT SUM("costUsd") FROM "AIUsageLog" WHERE ${logWhere}), 0)
    + COALESCE((SELECT SUM("costUsd") FROM "AIUsageRetired" WHERE ${retiredWhere}), 0))::text AS "spent"`;
}

/**
 * Loads what a key, user or team has spent since a period's start: the sum of its usage
 * rows' costUsd, and for a lifetime (`sinceMs` 0) the cost of its rows that
 * USAGE_RETENTION_DAYS deleted (AIUsageRetired). Rows still waiting in the usage writer
 * are not in it yet; each period's account is seeded once per store, before its first
 * budgeted call there, so this only misses rows of a process that stopped moments before.
 */
export function spentFromPrisma(prisma: PrismaClient): SpentLoader {
  return async (scope, id, sinceMs) => {
    // Key and team columns are UUIDs: any other id has no rows (and would make the query fail).
    if (scope !== 'user' && !UUID.test(id)) return '0';
    // AIUsageRetired keeps ids as text, as PostgreSQL writes uuids: lower case.
    if (scope !== 'user') id = id.toLowerCase();
    if (sinceMs <= 0) {
      const [row] = await prisma.$queryRawUnsafe<{ spent: string | null }[]>(LIFETIME_SQL[scope], id);
      return row?.spent ?? '0';
    }
    // Current periods are under 32 days long and USAGE_RETENTION_DAYS keeps at least 32:
    // their rows are all still here.
    const sum = await prisma.aIUsageLog.aggregate({
      where: { [COLUMN[scope]]: id, createdAt: { gte: new Date(sinceMs) } },
      _sum: { costUsd: true },
    });
    return sum._sum.costUsd?.toFixed() ?? '0';
  };
}
