import { appendFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { openDatabase } from '@aigw/db';
import { setDatabaseReachable } from '@aigw/db/testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import {
  memoryLogger,
  openUsageTestDatabase,
  readJsonLines,
  rowsPerRequest,
  sleep,
  spoolFiles,
  tempSpoolDir,
  type UsageTestDatabase,
  until,
  usageRecord,
} from './__fixtures__/usage-fixtures.js';
import type { UsageRecord } from './usage-record.js';
import { UsageWriter } from './usage-writer.js';
import type { UsageWriterOptions } from './usage-writer-options.js';

// Short retries, so recovery comes soon after the database does.
const FAST = { flushIntervalMs: 20, batchSize: 50, retryBaseMs: 50, retryMaxMs: 200 };

describe('UsageWriter when the database fails', () => {
  let t: UsageTestDatabase;
  let spool: Awaited<ReturnType<typeof tempSpoolDir>>;
  let writers: UsageWriter[];
  let logger: ReturnType<typeof memoryLogger>;

  const newWriter = (options: Partial<UsageWriterOptions> = {}) => {
    const writer = new UsageWriter({ prisma: t.db.prisma, spoolDir: spool.dir, logger, ...options });
    writers.push(writer);
    return writer;
  };
  const reachable = (yes: boolean) => setDatabaseReachable(t.testDb.name, yes);
  const spooledIds = async () =>
    ((await readJsonLines(spool.dir, 'spool-')) as UsageRecord[]).map((r) => r.requestId);
  /**
   * Another session holds AIUsageLog in ACCESS EXCLUSIVE mode from `taken` until
   * `release()`, so the writer's INSERTs wait (hang) meanwhile.
   */
  const lockUsageLog = () => {
    let release = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let lockTaken = () => {};
    const taken = new Promise<void>((resolve) => {
      lockTaken = resolve;
    });
    const held = openDatabase({
      kind: 'postgres',
      url: t.testDb.url,
      connectionTimeoutMs: 2000,
      poolSize: 1,
    }).then(async (locker) => {
      try {
        await locker.prisma.$transaction(
          async (tx) => {
            await tx.$executeRawUnsafe('LOCK TABLE "AIUsageLog" IN ACCESS EXCLUSIVE MODE');
            lockTaken();
            await released;
          },
          { timeout: 60_000, maxWait: 10_000 },
        );
      } finally {
        await locker.close();
      }
    });
    return {
      taken,
      release: async () => {
        release();
        await held;
      },
    };
  };
  const expectOneRowEach = async (prefix: string, count: number) => {
    const rows = await rowsPerRequest(t.db, prefix);
    expect(rows.size).toBe(count);
    expect([...rows.values()].filter((n) => n !== 1)).toEqual([]);
  };

  beforeAll(async () => {
    t = await openUsageTestDatabase();
  });
  afterAll(async () => {
    await reachable(true);
    await t.drop();
  });
  beforeEach(async () => {
    spool = await tempSpoolDir();
    writers = [];
    logger = memoryLogger();
  });
  afterEach(async () => {
    await reachable(true);
    for (const writer of writers) await writer.close();
    await spool.remove();
  });

  it('spools records to disk during an outage, then writes each exactly once', async () => {
    const writer = newWriter(FAST);
    await writer.start();
    // Pooled connections exist when the outage starts, as in production.
    writer.enqueue(usageRecord('outage-warmup'));
    await writer.flush();

    await reachable(false);
    for (let i = 0; i < 300; i++) {
      writer.enqueue(usageRecord(`outage-${i}`));
      if (i % 20 === 19) await sleep(100);
    }
    await until(async () => writer.stats().pending === 0, 'every record out of memory');
    const onDisk = new Set(await spooledIds());
    expect(onDisk.size).toBe(300);
    expect(writer.stats()).toMatchObject({ enqueued: 301, written: 1, rejected: 0 });
    expect(writer.stats().spooled).toBeGreaterThanOrEqual(300);
    expect(writer.stats().lastError).toMatch(/not currently accepting connections/);
    // Refused connections are retried, never taken for bad rows.
    expect(await readJsonLines(spool.dir, 'rejected-')).toEqual([]);

    await reachable(true);
    await until(async () => (await spoolFiles(spool.dir)).length === 0, 'the spool replayed');
    await writer.flush();
    await expectOneRowEach('outage-', 301);
    expect(writer.stats()).toMatchObject({ written: 301, pending: 0, rejected: 0 });
    expect(writer.stats().lastError).toBeUndefined();
    expect(logger.warnings.some((m) => m.includes('work again'))).toBe(true);
  });

  it('replays at start() what a crashed process left in the spool', async () => {
    await reachable(false);
    // The "crashed" process: never closed, and its timer never fires again.
    const crashed = new UsageWriter({
      prisma: t.db.prisma,
      spoolDir: spool.dir,
      logger,
      flushIntervalMs: 3_600_000,
      retryBaseMs: 3_600_000,
    });
    for (let i = 0; i < 120; i++) crashed.enqueue(usageRecord(`crash-${i}`));
    await crashed.flush();
    expect(crashed.stats()).toMatchObject({ spooled: 120, pending: 0, written: 0 });
    expect(await spooledIds()).toHaveLength(120);
    // Killed in the middle of an append: a torn last line.
    const [file] = await spoolFiles(spool.dir);
    await appendFile(join(spool.dir, file as string), '{"id":"0190a3b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b","requ');

    await reachable(true);
    const next = newWriter(FAST);
    await next.start();
    await next.flush();
    await expectOneRowEach('crash-', 120);
    expect(await spoolFiles(spool.dir)).toEqual([]);
    expect(next.stats()).toMatchObject({ written: 120, rejected: 0 });
    // The torn line is kept for a human, not silently lost.
    expect(await readJsonLines(spool.dir, 'rejected-')).toEqual([
      expect.objectContaining({ reason: 'unreadable spool line' }),
    ]);
  });

  it('replays at start() the journal of a process killed before it flushed (SIGKILL: no close, no flush)', async () => {
    // Killed with records still buffered in memory: only the journal has them.
    const killed = new UsageWriter({
      prisma: t.db.prisma,
      spoolDir: spool.dir,
      logger,
      flushIntervalMs: 2e9,
    });
    for (let i = 0; i < 75; i++) killed.enqueue(usageRecord(`killed-${i}`));
    expect(killed.stats()).toMatchObject({ pending: 75, written: 0, spooled: 0 });
    const journals = (await readdir(spool.dir)).filter((n) => n.startsWith('journal-'));
    expect(journals).toHaveLength(1);

    const next = newWriter(FAST);
    await next.start();
    await next.flush();
    await expectOneRowEach('killed-', 75);
    expect(next.stats()).toMatchObject({ written: 75, rejected: 0 });
    // Replayed, then deleted; the new writer's own journal holds nothing.
    expect(await readdir(spool.dir)).toEqual(['owner.json']);
  });

  it('deletes journal files once their records are written or spooled, and keeps those it must', async () => {
    const writer = newWriter({ ...FAST, flushIntervalMs: 2e9 });
    await writer.start();
    for (let i = 0; i < 30; i++) writer.enqueue(usageRecord(`journal-ok-${i}`));
    await writer.flush();
    expect(await readdir(spool.dir)).toEqual(['owner.json']);

    // An outage: the records go to the spool (fsync'd), and their journal file goes.
    await reachable(false);
    for (let i = 0; i < 20; i++) writer.enqueue(usageRecord(`journal-down-${i}`));
    await writer.flush();
    const files = await readdir(spool.dir);
    expect(files.filter((n) => n.startsWith('journal-'))).toEqual([]);
    expect(files.filter((n) => n.startsWith('spool-'))).toHaveLength(1);
    // Buffered again during the outage, not yet flushed: in the journal.
    for (let i = 0; i < 5; i++) writer.enqueue(usageRecord(`journal-late-${i}`));
    expect((await readdir(spool.dir)).filter((n) => n.startsWith('journal-'))).toHaveLength(1);

    await reachable(true);
    await writer.flush();
    await expectOneRowEach('journal-ok-', 30);
    await expectOneRowEach('journal-down-', 20);
    await expectOneRowEach('journal-late-', 5);
    expect(await readdir(spool.dir)).toEqual(['owner.json']);
  });

  it('close() during an outage leaves the records in the spool for the next start', async () => {
    await reachable(false);
    const writer = newWriter(FAST);
    for (let i = 0; i < 10; i++) writer.enqueue(usageRecord(`closed-${i}`));
    await writer.close();
    expect(new Set(await spooledIds()).size).toBe(10);
    expect(writer.stats().pending).toBe(0);

    await reachable(true);
    const next = newWriter(FAST);
    await next.start();
    await next.flush();
    await expectOneRowEach('closed-', 10);
    expect(await spoolFiles(spool.dir)).toEqual([]);
  });

  it('a write that hangs while the buffer overflows to disk: every record is one row once it ends', async () => {
    const lock = lockUsageLog();
    const writer = newWriter({ ...FAST, batchSize: 10, maxBufferedRecords: 50 });
    try {
      await lock.taken;
      // The first batch's INSERT waits on the lock; 100 more records overflow to the spool.
      for (let i = 0; i < 120; i++) writer.enqueue(usageRecord(`overflow-${i}`));
      await until(() => writer.stats().spooled >= 50, 'the overflow parked on disk');
      // The event loop still turns while the write hangs.
      await sleep(50);
    } finally {
      await lock.release();
    }
    await writer.flush();
    await expectOneRowEach('overflow-', 120);
  });

  it('close() spools a write hung past closeTimeoutMs; the replay still makes one row each', async () => {
    // Another session locks the table, so the writer's INSERT waits.
    const lock = lockUsageLog();
    try {
      await lock.taken;
      const writer = newWriter({ flushIntervalMs: 3_600_000, closeTimeoutMs: 300 });
      for (let i = 0; i < 20; i++) writer.enqueue(usageRecord(`hung-${i}`));
      await writer.close();
      expect(new Set(await spooledIds()).size).toBe(20);
      expect(logger.warnings.some((m) => m.includes('still running'))).toBe(true);
    } finally {
      await lock.release();
    }
    // The hung INSERT goes through now; the replay at the next start skips those rows.
    const next = newWriter(FAST);
    await next.start();
    await next.flush();
    await expectOneRowEach('hung-', 20);
    expect(await spoolFiles(spool.dir)).toEqual([]);
  });
});
