import type { AIUsageLogModel, Prisma } from '@aigw/db';
import { Injectable } from '@nestjs/common';
import { DatabaseService } from '../database/database.service.js';
import { encodeLogsCursor } from './logs-cursor.js';
import type { LogsQuery } from './usage-logs.schema.js';

/**
 * A usage row as the admin API shows it (teamId null outside any team): cost and quantity
 * as exact decimal strings, times in ISO 8601.
 */
export type UsageLogItem = Omit<AIUsageLogModel, 'costUsd' | 'quantity' | 'createdAt'> & {
  costUsd: string | null;
  quantity: string | null;
  createdAt: string;
};

/** One page of usage rows, newest first; nextCursor is null on the last page. */
export interface UsageLogsPage {
  items: UsageLogItem[];
  nextCursor: string | null;
}

/** Pages through usage rows, newest first, with keyset pagination on (createdAt, id). */
@Injectable()
export class UsageLogsService {
  constructor(private readonly database: DatabaseService) {}

  async page(query: LogsQuery): Promise<UsageLogsPage> {
    const { cursor } = query;
    const where: Prisma.AIUsageLogWhereInput = {
      userId: query.userId,
      teamId: query.teamId,
      provider: query.provider,
      model: query.model,
      requestType: query.requestType,
      createdAt: { gte: query.from, lt: query.to },
      // Strictly after the cursor in (createdAt DESC, id DESC): stable under equal timestamps and new rows.
      ...(cursor && {
        OR: [{ createdAt: { lt: cursor.createdAt } }, { createdAt: cursor.createdAt, id: { lt: cursor.id } }],
      }),
    };
    const rows = await this.database.prisma.aIUsageLog.findMany({
      where,
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: query.limit + 1,
    });
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    return {
      items: page.map((row) => ({
        ...row,
        costUsd: row.costUsd?.toFixed(12) ?? null,
        // Images and audio: seconds with a fraction, as a decimal string.
        quantity: row.quantity?.toString() ?? null,
        createdAt: row.createdAt.toISOString(),
      })),
      nextCursor: rows.length > query.limit && last ? encodeLogsCursor(last) : null,
    };
  }
}
