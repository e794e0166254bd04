import type { PrismaClient } from '@aigw/db';
import type { SpentLoader } from './budget-interceptor.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Loads what a virtual key has spent: the sum of its usage rows' costUsd. Rows still
 * waiting in the usage writer are not in it yet; budgets are seeded once per store,
 * before the key's first budgeted call there, so this only misses rows of a process
 * that stopped moments before.
 */
export function spentFromPrisma(prisma: PrismaClient): SpentLoader {
  return async (apiKeyId) => {
    // The column is a UUID: any other id has no rows (and would make the query fail).
    if (!UUID.test(apiKeyId)) return '0';
    const sum = await prisma.aIUsageLog.aggregate({ where: { apiKeyId }, _sum: { costUsd: true } });
    return sum._sum.costUsd?.toFixed() ?? '0';
  };
}
