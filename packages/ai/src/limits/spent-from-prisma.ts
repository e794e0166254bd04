import type { PrismaClient } from '@aigw/db';
import type { SpentLoader } from './budget-ledger.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const COLUMN = { key: 'apiKeyId', user: 'userId', team: 'teamId' } as const;

/**
 * Loads what a key, user or team has spent since a period's start: the sum of its usage
 * rows' costUsd. Rows still waiting in the usage writer are not in it yet; each period's
 * account is seeded once per store, before its first budgeted call there, so this only
 * misses rows of a process that stopped moments before.
 */
export function spentFromPrisma(prisma: PrismaClient): SpentLoader {
  return async (scope, id, sinceMs) => {
    // Key and team columns are UUIDs: any other id has no rows (and would make the query fail).
    if (scope !== 'user' && !UUID.test(id)) return '0';
    const sum = await prisma.aIUsageLog.aggregate({
      where: { [COLUMN[scope]]: id, ...(sinceMs > 0 ? { createdAt: { gte: new Date(sinceMs) } } : {}) },
      _sum: { costUsd: true },
    });
    return sum._sum.costUsd?.toFixed() ?? '0';
  };
}
