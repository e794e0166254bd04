import type { PrismaClient } from '@aigw/db';
import { afterEach, describe, expect, it } from '@jest/globals';
import { memoryLogger, sleep, tempSpoolDir, until, usageRecord } from './__fixtures__/usage-fixtures.js';
import { UsageWriter } from './usage-writer.js';

describe('UsageWriter with a database that is slow, not down', () => {
  let spool: Awaited<ReturnType<typeof tempSpoolDir>> | undefined;
  let writer: UsageWriter | undefined;
  afterEach(async () => {
    await writer?.close();
    await spool?.remove();
  });

  it('ends a flush whose buffer overflowed to disk during a slow write, and writes every record', async () => {
    spool = await tempSpoolDir();
    // Every write succeeds, 300 ms later: the rows each INSERT would have written, by requestId.
    const written = new Set<string>();
    const prisma = {
      $executeRawUnsafe: async (_sql: string, json: string) => {
        await sleep(300);
        const rows = JSON.parse(json) as { requestId: string }[];
        for (const row of rows) written.add(row.requestId);
        return rows.length;
      },
    } as unknown as PrismaClient;
    writer = new UsageWriter({
      prisma,
      spoolDir: spool.dir,
      logger: memoryLogger(),
      batchSize: 10,
      maxBufferedRecords: 50,
      flushIntervalMs: 20,
    });
    let n = 0;
    const enqueue = (count: number) => {
      for (let i = 0; i < count; i++) writer?.enqueue(usageRecord(`slow-${n++}`));
    };
    enqueue(10); // flush 1: one batch, 300 ms
    await sleep(100);
    enqueue(30); // waiting: flush 2 starts with these 30 to write
    await sleep(350);
    enqueue(60); // during flush 2's first batch: the buffer passes 50 and is parked on disk
    // The event loop keeps turning (a busy loop would stop this timer and everything else: 0
    // ticks). Some 20 ticks unloaded; a loaded machine may stall the loop for a while.
    let ticks = 0;
    const probe = setInterval(() => ticks++, 50);
    await sleep(1000);
    clearInterval(probe);
    expect(ticks).toBeGreaterThanOrEqual(3);
    await until(
      () => writer?.stats().spooled !== undefined && (writer?.stats().spooled ?? 0) > 0,
      'the overflow',
    );
    await writer.flush();
    expect(written.size).toBe(100);
  });
});
