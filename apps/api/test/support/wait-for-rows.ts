import type { Prisma } from '@aigw/db';
import { DatabaseService } from '../../src/database/database.service.js';
import type { Gateway } from './gateway.js';

/**
 * The usage rows matching `where`, once any are written: flushes the writer and looks
 * again every `intervalMs`, `tries` times at most (then returns what is there, maybe none).
 */
export async function waitForUsageRows(
  gateway: Gateway,
  where: Prisma.AIUsageLogWhereInput,
  { tries = 50, intervalMs = 50 }: { tries?: number; intervalMs?: number } = {},
) {
  const prisma = gateway.running.app.get(DatabaseService).prisma;
  await gateway.flushUsage();
  let rows = await prisma.aIUsageLog.findMany({ where });
  for (let i = 0; i < tries && rows.length === 0; i++) {
    await new Promise((r) => setTimeout(r, intervalMs));
    await gateway.flushUsage();
    rows = await prisma.aIUsageLog.findMany({ where });
  }
  return rows;
}
