import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import {
  memoryLogger,
  openUsageTestDatabase,
  readJsonLines,
  rowsPerRequest,
  spoolFiles,
  tempSpoolDir,
  type UsageTestDatabase,
  until,
  usageRecord,
} from './__fixtures__/usage-fixtures.js';
import { UsageWriter } from './usage-writer.js';
import type { UsageWriterOptions } from './usage-writer-options.js';

describe('UsageWriter', () => {
  let t: UsageTestDatabase;
  let spool: Awaited<ReturnType<typeof tempSpoolDir>>;
  let writers: UsageWriter[];
  let logger: ReturnType<typeof memoryLogger>;

  const newWriter = (options: Partial<UsageWriterOptions> = {}) => {
    const writer = new UsageWriter({ prisma: t.db.prisma, spoolDir: spool.dir, logger, ...options });
    writers.push(writer);
    return writer;
  };

  beforeAll(async () => {
    t = await openUsageTestDatabase();
  });
  afterAll(async () => {
    await t.drop();
  });
  beforeEach(async () => {
    spool = await tempSpoolDir();
    writers = [];
    logger = memoryLogger();
  });
  afterEach(async () => {
    for (const writer of writers) await writer.close();
    await spool.remove();
  });

  it('writes 1000 records, each exactly once, field for field', async () => {
    const writer = newWriter();
    await writer.start();
    const records = Array.from({ length: 1000 }, (_, i) => usageRecord(`bulk-${i}`));
    const priced = usageRecord('bulk-priced', {
      attempt: 2,
      apiKeyId: '0190a3b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b',
      stream: true,
      promptTokens: 1,
      cacheReadTokens: 0,
      completionTokens: 0,
      totalTokens: 1,
      costUsd: '0.000000020000',
      pricing: { inputPer1M: '0.02', outputPer1M: '0.08' },
      timeToFirstTokenMs: 150,
      characterId: 'char-1',
      chatId: 'chat-1',
      metadata: { route: '/v1/chat/completions', tags: ['a', 'b'], nested: { n: 1.5, ok: true } },
      createdAt: '2026-01-02T03:04:05.678Z',
    });
    const unpriced = usageRecord('bulk-unpriced', {
      requestType: 'embedding',
      promptTokens: null,
      totalTokens: null,
      usageSource: 'unknown',
      costUsd: null,
      pricing: null,
      isSuccess: false,
      errorCode: 'upstream_error',
      httpStatus: null,
    });
    records.splice(500, 0, priced);
    records.splice(900, 0, unpriced);

    // enqueue() hands nothing back: the request path never waits on it.
    for (const record of records) expect(writer.enqueue(record)).toBeUndefined();
    await writer.flush();

    const rows = await rowsPerRequest(t.db, 'bulk-');
    expect(rows.size).toBe(1002);
    expect([...rows.values()].every((n) => n === 1)).toBe(true);
    expect(writer.stats()).toMatchObject({ enqueued: 1002, written: 1002, pending: 0, rejected: 0 });

    const p = await t.db.prisma.aIUsageLog.findUniqueOrThrow({ where: { id: priced.id } });
    expect(p).toMatchObject({
      requestId: 'bulk-priced',
      attempt: 2,
      userId: 'user-1',
      apiKeyId: '0190a3b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b',
      provider: 'openai',
      model: 'gpt-4o-mini-2024-07-18',
      requestedModel: 'mini',
      requestType: 'chat',
      stream: true,
      promptTokens: 1,
      cacheReadTokens: 0,
      cacheWriteTokens: null,
      completionTokens: 0,
      reasoningTokens: null,
      totalTokens: 1,
      usageSource: 'reported',
      pricing: { inputPer1M: '0.02', outputPer1M: '0.08' },
      isSuccess: true,
      errorCode: null,
      httpStatus: 200,
      latencyMs: 12,
      timeToFirstTokenMs: 150,
      characterId: 'char-1',
      chatId: 'chat-1',
      metadata: { route: '/v1/chat/completions', tags: ['a', 'b'], nested: { n: 1.5, ok: true } },
    });
    expect(p.costUsd?.toFixed(12)).toBe('0.000000020000');
    expect(p.createdAt.toISOString()).toBe('2026-01-02T03:04:05.678Z');

    const u = await t.db.prisma.aIUsageLog.findUniqueOrThrow({ where: { id: unpriced.id } });
    expect(u).toMatchObject({
      requestType: 'embedding',
      promptTokens: null,
      totalTokens: null,
      usageSource: 'unknown',
      costUsd: null,
      isSuccess: false,
      errorCode: 'upstream_error',
      httpStatus: null,
      metadata: {},
    });
    // "No price" is SQL NULL, not the JSON value null.
    const sqlNull = await t.db.prisma.$queryRaw<{ n: bigint }[]>`
      SELECT count(*) AS n FROM "AIUsageLog" WHERE id = ${unpriced.id}::uuid AND pricing IS NULL`;
    expect(Number(sqlNull[0]?.n)).toBe(1);
    expect(await spoolFiles(spool.dir)).toEqual([]);
  });

  it('writes on its own timer, without flush()', async () => {
    const writer = newWriter({ flushIntervalMs: 20 });
    for (let i = 0; i < 7; i++) writer.enqueue(usageRecord(`timer-${i}`));
    await until(async () => (await rowsPerRequest(t.db, 'timer-')).size === 7, 'the timer to write 7 rows');
    expect(writer.stats()).toMatchObject({ written: 7, pending: 0 });
  });

  it('keeps one row when the same (requestId, attempt) comes twice', async () => {
    const writer = newWriter();
    const record = usageRecord('dup-1');
    writer.enqueue(record);
    writer.enqueue(record); // the same record, in the same batch
    writer.enqueue({ ...record, id: usageRecord('x').id }); // another id, same (requestId, attempt)
    await writer.flush();
    writer.enqueue(record); // again, in a later batch
    await writer.flush();
    const rows = await t.db.prisma.aIUsageLog.findMany({ where: { requestId: 'dup-1' } });
    expect(rows.map((r) => r.id)).toEqual([record.id]);
    expect(writer.stats()).toMatchObject({ enqueued: 4, written: 1, rejected: 0 });
  });

  it('writes a row whose text holds NUL characters, which PostgreSQL cannot store, without them', async () => {
    const writer = newWriter();
    // A caller's own ids and metadata reach the row as given; a literal backslash-u0000 stays.
    const record = usageRecord('nul-1', {
      userId: 'user\u0000-1',
      chatId: 'chat-\\u0000',
      metadata: { endUserId: 'x\u0000y', note: ['a\u0000'] },
    });
    writer.enqueue(record);
    await writer.flush();
    const [row] = await t.db.prisma.aIUsageLog.findMany({ where: { requestId: 'nul-1' } });
    expect(row).toMatchObject({
      userId: 'user-1',
      chatId: 'chat-\\u0000',
      metadata: { endUserId: 'xy', note: ['a'] },
    });
    expect(writer.stats()).toMatchObject({ written: 1, rejected: 0 });
  });

  it('sets bad rows aside in rejected-*.jsonl and writes the rest of their batch', async () => {
    const writer = newWriter({ batchSize: 50 });
    const records = Array.from({ length: 40 }, (_, i) => usageRecord(`poison-${i}`));
    // INTEGER overflow (SQLSTATE 22003).
    records[7] = usageRecord('poison-7', { promptTokens: 3_000_000_000 });
    // Not a UUID: refused by PostgreSQL's uuid input (SQLSTATE class 22), unlike an unreachable database.
    records[21] = usageRecord('poison-21', { apiKeyId: 'not-a-uuid' });
    // Refused before anything is sent: not a date.
    records[33] = usageRecord('poison-33', { createdAt: 'not a date' });
    for (const record of records) writer.enqueue(record);
    await writer.flush();

    const rows = await rowsPerRequest(t.db, 'poison-');
    expect(rows.size).toBe(37);
    expect(rows.has('poison-7') || rows.has('poison-21') || rows.has('poison-33')).toBe(false);
    const rejected = (await readJsonLines(spool.dir, 'rejected-')) as {
      reason: string;
      record: { requestId: string; promptTokens: number };
    }[];
    expect(rejected.map((r) => r.record.requestId).sort()).toEqual(['poison-21', 'poison-33', 'poison-7']);
    const overflow = rejected.find((r) => r.record.requestId === 'poison-7');
    expect(overflow?.record.promptTokens).toBe(3_000_000_000);
    expect(overflow?.reason).toMatch(/out of range/);
    expect(writer.stats()).toMatchObject({ written: 37, rejected: 3, pending: 0 });
    expect(writer.stats().lastError).toBeUndefined();
    expect(logger.errors.filter((m) => m.includes('row refused'))).toHaveLength(3);
    expect(await spoolFiles(spool.dir)).toEqual([]);
  });

  it('writes what is buffered on close()', async () => {
    // A timer that never fires: only close() can write these.
    const writer = newWriter({ flushIntervalMs: 3_600_000 });
    for (let i = 0; i < 25; i++) writer.enqueue(usageRecord(`close-${i}`));
    expect(writer.stats().pending).toBe(25);
    await writer.close();
    expect((await rowsPerRequest(t.db, 'close-')).size).toBe(25);
    expect(writer.stats()).toMatchObject({ written: 25, pending: 0, spooled: 0 });
    expect(await spoolFiles(spool.dir)).toEqual([]);
  });
});
