import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '@aigw/db/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { DatabaseService } from '../src/database/database.service.js';
import { adminFetch } from './support/admin-api.js';
import { type RunningApp, startApp } from './support/start-app.js';
import {
  expectSummariesExact,
  type Query,
  ROLLUP_DIFF,
  type Row,
  reference,
  type Summary,
  viaPg,
} from './support/summary-reference.js';
import { seededRandom, type UsageRowInput, usageRow } from './support/usage-rows.js';

// The summary reads whole days from the AIUsageDaily rollup (kept by triggers) and the
// edges from the raw rows. Whatever wrote the rows, and whatever the range, it must answer
// exactly what an aggregation of the raw AIUsageLog rows says.

const DAY = 86_400_000;
/** Teams the rows are charged to, besides none. */
const TEAMS = ['0193f1a2-0000-7000-8000-00000000000a', '0193f1a2-0000-7000-8000-00000000000b'];

/** Random usage rows over the 40 days before `now`, some on midnights, a few in the next day. */
function rowMaker(seed: number, now: number): (count: number) => UsageRowInput[] {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const today = Math.floor(now / DAY) * DAY;
  const models = { openai: ['gpt-4o', 'gpt-4o-mini'], anthropic: ['claude-sonnet-4-5'], local: ['llama3.2'] };
  return (count) =>
    Array.from({ length: count }, () => {
      const provider = pick(['openai', 'anthropic', 'local'] as const);
      const known = random() > 0.15;
      const prompt = Math.floor(random() * 20_000);
      const completion = Math.floor(random() * 4000);
      const r = random();
      const createdAt =
        r < 0.05
          ? today - Math.floor(random() * 41) * DAY // a midnight
          : r < 0.08
            ? now + Math.floor(random() * DAY) // written with a clock ahead
            : now - Math.floor(random() * 40 * DAY);
      return {
        userId: pick(['alice', 'bob', 'Zoe', 'user-émile', 'u5', 'u6']),
        teamId: pick([null, ...TEAMS]),
        provider,
        model: pick(models[provider]),
        createdAt: new Date(createdAt),
        isSuccess: random() > 0.1,
        promptTokens: known ? prompt : null,
        completionTokens: known ? completion : null,
        totalTokens: known ? prompt + completion : null,
        costUsd:
          provider === 'local' || random() < 0.05
            ? null
            : pick(['0.000000000001', '0.000150000000', '0.123456789012', '1.5', '987654321.987654321987']),
      };
    });
}

/** Aligned, unaligned, one-day, edge-of-midnight, up-to-now and empty ranges around `now`. */
function rangesAround(seed: number, now: number): [Date, Date][] {
  const random = seededRandom(seed);
  const today = Math.floor(now / DAY) * DAY;
  const dayStart = (back: number) => today - back * DAY;
  const anywhere = () => now - 42 * DAY + Math.floor(random() * 44 * DAY);
  const list: [number, number][] = [
    [now - 30 * DAY, now], // the default range
    [dayStart(30), dayStart(0)], // the last 30 whole days
    [dayStart(45), dayStart(-2)], // everything
    [dayStart(3), dayStart(2)], // one whole day
    [dayStart(3) - 1, dayStart(2) + 1], // one day and a millisecond on each side
    [dayStart(5) + 1, dayStart(5) + DAY - 1], // one day less its two end milliseconds
    [dayStart(1) + 3_600_000, now + 3 * 3_600_000], // yesterday 01:00 to the near future
    [dayStart(100), dayStart(90)], // no rows
  ];
  for (let i = 0; i < 10; i++) {
    const [a, b] = [anywhere(), anywhere()].sort((x, y) => x - y) as [number, number];
    list.push([a, b === a ? a + 1 : b]);
  }
  for (let i = 0; i < 4; i++) {
    const a = anywhere();
    list.push([a, a + Math.floor(random() * 6 * 3_600_000) + 1]); // hours, maybe across a midnight
  }
  for (let i = 0; i < 4; i++) {
    const a = dayStart(Math.floor(random() * 42));
    list.push([a, a + (1 + Math.floor(random() * 10)) * DAY]); // whole days
  }
  return list.map(([a, b]) => [new Date(a), new Date(b)]);
}

describe('usage summary over the daily rollup equals the raw rows (PostgreSQL)', () => {
  let testDb: TestDatabase;
  let running: RunningApp;
  let client: pg.Client;
  const now = Date.now();
  const randomRows = rowMaker(20251122, now);

  beforeAll(async () => {
    testDb = await createTestDatabase();
    running = await startApp({ DATABASE_URL: testDb.url });
    client = new pg.Client({ connectionString: testDb.url });
    await client.connect();
    const prisma = running.app.get(DatabaseService).prisma;

    // 1. The usage writer's way: batches of createMany … skipDuplicates, one replayed.
    const batches = Array.from({ length: 6 }, () => randomRows(250).map(usageRow));
    for (const batch of batches) await prisma.aIUsageLog.createMany({ data: batch, skipDuplicates: true });
    await prisma.aIUsageLog.createMany({ data: batches[0] ?? [], skipDuplicates: true });
    // 2. Concurrent batches into the same groups.
    await Promise.all(
      Array.from({ length: 8 }, () => prisma.aIUsageLog.createMany({ data: randomRows(150).map(usageRow) })),
    );
    // 3. Raw SQL: one INSERT … SELECT over generate_series.
    await client.query(
      `INSERT INTO "AIUsageLog" ("id", "requestId", "userId", "provider", "model", "requestedModel",
         "requestType", "usageSource", "isSuccess", "latencyMs", "promptTokens", "completionTokens",
         "totalTokens", "costUsd", "createdAt", "teamId")
       SELECT gen_random_uuid(), 'gen-' || i, 'gen-user-' || (i % 5), 'openai', 'gpt-4o', 'gpt-4o', 'chat',
         'reported', i % 13 <> 0, 20, i % 1000, i % 300, i % 1000 + i % 300,
         CASE WHEN i % 9 = 0 THEN NULL ELSE (i % 997) * 0.000000123457 END,
         $1::timestamptz - (i * 2311 % (40 * 86400)) * interval '1 second',
         CASE WHEN i % 3 = 0 THEN NULL ELSE ($2::uuid[])[1 + i % 2] END
       FROM generate_series(1, 1500) AS i`,
      [new Date(now).toISOString(), TEAMS],
    );
  });
  afterAll(async () => {
    await client?.end();
    await running?.close();
    await testDb?.drop();
  });

  it('holds a few thousand rows, and AIUsageDaily equals their sums per day, user, provider, model and team', async () => {
    const count = await client.query<{ n: number }>('SELECT COUNT(*)::int AS n FROM "AIUsageLog"');
    expect(count.rows[0]?.n).toBe(1500 + 8 * 150 + 1500);
    expect((await client.query(ROLLUP_DIFF)).rows).toEqual([]);
  });

  it('answers every groupBy over many ranges exactly as the raw rows say', async () => {
    const ranges = rangesAround(7, now);
    expect(await expectSummariesExact(running.url, viaPg(client), ranges)).toBe(ranges.length * 16);
  });

  it('stays exact while rows keep arriving: a summary never sees part of a batch', async () => {
    const prisma = running.app.get(DatabaseService).prisma;
    const from = new Date(now - 30 * DAY + 3_600_000);
    const to = new Date(now + DAY);
    // Batches of 100 rows of one user, spread over whole days and both edges of the range.
    const batch = () =>
      randomRows(100).map((row, i) =>
        usageRow({
          ...row,
          userId: 'live',
          costUsd: '0.000000000001',
          createdAt: new Date(now - i * 7 * 3_600_000),
        }),
      );
    const query = `/admin/usage/summary?from=${from.toISOString()}&to=${to.toISOString()}&groupBy=user`;
    const live = async () =>
      (await adminFetch<Summary>(running.url, query)).body.rows.find((r) => r.userId === 'live');
    const inRange = batch().filter((r) => (r.createdAt as Date) >= from).length;
    const writes = Promise.all(
      Array.from({ length: 8 }, () => prisma.aIUsageLog.createMany({ data: batch() })),
    );
    const seen: Row[] = [];
    for (let i = 0; i < 8; i++) {
      const row = await live();
      if (row) seen.push(row);
    }
    await writes;
    for (const row of seen) {
      expect(Number(row.requests) % inRange).toBe(0);
      expect(row.costUsd).toBe((Number(row.requests) / 1e12).toFixed(12));
    }
    expect((await live())?.requests).toBe(8 * inRange);
    const all = await adminFetch<Summary>(
      running.url,
      `/admin/usage/summary?from=${from.toISOString()}&to=${to.toISOString()}&groupBy=user,provider,model,day`,
    );
    expect({ rows: all.body.rows, totals: all.body.totals }).toEqual(
      await reference(viaPg(client), from, to, ['user', 'provider', 'model', 'day']),
    );
  });
});

describe('usage summary over the daily rollup equals the raw rows (embedded PGlite)', () => {
  let dir: string;
  let running: RunningApp;
  const now = Date.now();

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'aigw-rollup-'));
    running = await startApp({ PGLITE_DIR: dir });
    const prisma = running.app.get(DatabaseService).prisma;
    const randomRows = rowMaker(99, now);
    for (let i = 0; i < 3; i++) await prisma.aIUsageLog.createMany({ data: randomRows(200).map(usageRow) });
  });
  afterAll(async () => {
    await running?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps AIUsageDaily exact and answers every groupBy as the raw rows say', async () => {
    const prisma = running.app.get(DatabaseService).prisma;
    const query: Query = (sql, params) => prisma.$queryRawUnsafe<Row[]>(sql, ...params);
    expect(await query(ROLLUP_DIFF, [])).toEqual([]);
    const ranges = rangesAround(11, now).slice(0, 10);
    expect(await expectSummariesExact(running.url, query, ranges)).toBe(ranges.length * 16);
  });
});
