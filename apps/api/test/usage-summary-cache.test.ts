import { createTestDatabase, type TestDatabase } from '@aigw/db/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { DatabaseService } from '../src/database/database.service.js';
import { adminFetch } from './support/admin-api.js';
import { type RunningApp, startApp, TEST_ADMIN_KEY } from './support/start-app.js';
import { expectSummariesExact, type Group, type Summary, viaPg } from './support/summary-reference.js';
import { seededRandom, usageRow } from './support/usage-rows.js';

// A summary grouped by day reuses a past day's part while the day's AIUsageDailyStamp is
// unchanged. Whatever changes a day's rows afterwards, the next answer must be exact.

const DAY = 86_400_000;
const HOUR = 3_600_000;
const GROUPINGS: Group[][] = [
  ['user', 'provider', 'model', 'day'],
  ['day'],
  ['model', 'day'],
  ['user'],
  ['provider', 'model'],
  [],
];

describe('usage summary parts per day, reused while a day is unchanged (PostgreSQL)', () => {
  let testDb: TestDatabase;
  let running: RunningApp;
  let client: pg.Client;
  const today = Math.floor(Date.now() / DAY) * DAY;
  const dayStart = (back: number) => today - back * DAY;
  // Whole days; a partial day at each edge, on the hour and at any minute; up to now.
  const ranges: [Date, Date][] = [
    [new Date(dayStart(20)), new Date(dayStart(2))],
    [new Date(dayStart(20) + 5 * HOUR), new Date(dayStart(4) + 13 * HOUR)],
    [new Date(dayStart(20) + 5 * HOUR + 1_017_003), new Date(dayStart(4) + 13 * HOUR + 2_461_999)],
    [new Date(dayStart(9) + 40 * 60_000), new Date(dayStart(9) + 3 * HOUR + 5 * 60_000)],
    [new Date(Date.now() - 30 * DAY), new Date()],
  ];

  const summaryOf = async (from: Date, to: Date, groupBy: Group[]) =>
    adminFetch<Summary>(
      running.url,
      `/admin/usage/summary?from=${from.toISOString()}&to=${to.toISOString()}&groupBy=${groupBy.join(',')}`,
    );

  /** Every range in every grouping equals the raw rows' sums; each asked twice. */
  const expectExact = (url = running.url) =>
    expectSummariesExact(url, viaPg(client), ranges, { groupings: GROUPINGS, times: 2 });

  const rows = (count: number, seed: number, at: () => number) => {
    const random = seededRandom(seed);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
    return Array.from({ length: count }, () =>
      usageRow({
        // Beyond ASCII, sorted as PostgreSQL's COLLATE "C" sorts: U+FB00 before U+1F600.
        userId: pick(['ann', 'bob', 'Zoe', 'émile', '\u{fb00}', '\u{1f600}']),
        provider: 'openai',
        model: pick(['gpt-4o', 'gpt-4o-mini']),
        createdAt: new Date(at()),
        isSuccess: random() > 0.1,
        promptTokens: Math.floor(random() * 1000),
        completionTokens: 7,
        totalTokens: 7,
        costUsd: pick(['0.000000000001', '0.123456789012', null]),
      }),
    );
  };

  beforeAll(async () => {
    testDb = await createTestDatabase();
    running = await startApp({ DATABASE_URL: testDb.url });
    client = new pg.Client({ connectionString: testDb.url });
    await client.connect();
    const random = seededRandom(5);
    const prisma = running.app.get(DatabaseService).prisma;
    await prisma.aIUsageLog.createMany({
      data: rows(800, 1, () => Date.now() - Math.floor(random() * 32 * DAY)),
    });
    // Around each end of every range, every user in the minutes and the whole hours next to
    // it: the parts of a day split at its hours all have rows to sum and to sort.
    const ends = ranges.flat().map((end) => end.getTime());
    const nearAnEnd = () =>
      (ends[Math.floor(random() * ends.length)] as number) + Math.floor((random() - 0.5) * 4 * HOUR);
    await prisma.aIUsageLog.createMany({ data: rows(600, 6, nearAnEnd) });
  });
  afterAll(async () => {
    await client?.end();
    await running?.close();
    await testDb?.drop();
  });

  it('answers exactly, and the same again from its parts', async () => {
    await expectExact();
    const [from, to] = ranges[1] as [Date, Date];
    const res = await fetch(
      `${running.url}/admin/usage/summary?from=${from.toISOString()}&to=${to.toISOString()}&groupBy=day`,
      {
        headers: { authorization: `Bearer ${TEST_ADMIN_KEY}` },
      },
    );
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(Object.keys(await res.json())).toEqual(['from', 'to', 'groupBy', 'rows', 'totals']);
  });

  it('reuses a past day it has answered: a change the triggers do not see does not show', async () => {
    const [from, to] = ranges[0] as [Date, Date];
    const before = await summaryOf(from, to, ['day']);
    const day = new Date(dayStart(10)).toISOString().slice(0, 10);
    // Straight into the rollup, behind the triggers' back: the day's stamp stays.
    await client.query(`UPDATE "AIUsageDaily" SET "requests" = "requests" + 1000 WHERE "day" = $1::date`, [
      day,
    ]);
    try {
      expect((await summaryOf(from, to, ['day'])).body).toEqual(before.body);
      // A grouping not asked for before reads the rollup as it is now.
      const fresh = await summaryOf(from, to, ['provider', 'day']);
      const changed = fresh.body.rows.filter((row) => row.day === day);
      expect(changed.reduce((sum, row) => sum + Number(row.requests), 0)).toBeGreaterThan(1000);
    } finally {
      await client.query(`UPDATE "AIUsageDaily" SET "requests" = "requests" - 1000 WHERE "day" = $1::date`, [
        day,
      ]);
    }
  });

  it('reuses the whole hours of a partial day it has answered, and sums the minutes at its ends anew', async () => {
    const [from, to] = ranges[2] as [Date, Date];
    const before = await summaryOf(from, to, ['user', 'day']);
    // Rows of the first day's whole hours and of its first minutes, changed behind the
    // triggers' back (no new stamp): the hours come from the cache, the minutes do not.
    const hours = [new Date(Math.ceil(from.getTime() / HOUR) * HOUR), new Date(dayStart(19))];
    const minutes = [from, hours[0] as Date];
    const add = async (range: Date[], tokens: number) =>
      (
        await client.query(
          `UPDATE "AIUsageLog" SET "promptTokens" = "promptTokens" + ${tokens}
           WHERE "createdAt" >= $1 AND "createdAt" < $2 AND "promptTokens" IS NOT NULL`,
          range,
        )
      ).rowCount ?? 0;
    await client.query('ALTER TABLE "AIUsageLog" DISABLE TRIGGER USER');
    try {
      const inHours = await add(hours, 1_000_000);
      const inMinutes = await add(minutes, 1_000_000);
      expect([inHours > 0, inMinutes > 0]).toEqual([true, true]);
      try {
        const after = await summaryOf(from, to, ['user', 'day']);
        const tokens = (body: Summary) => Number(body.totals.promptTokens);
        expect(tokens(after.body) - tokens(before.body)).toBe(inMinutes * 1_000_000);
      } finally {
        await add(hours, -1_000_000);
        await add(minutes, -1_000_000);
      }
    } finally {
      await client.query('ALTER TABLE "AIUsageLog" ENABLE TRIGGER USER');
    }
  });

  it('answers the same with the cache off (SUMMARY_CACHE_MB=0: one statement)', async () => {
    const uncached = await startApp({ DATABASE_URL: testDb.url, SUMMARY_CACHE_MB: '0' });
    try {
      await expectExact(uncached.url);
    } finally {
      await uncached.close();
    }
  });

  it('stays exact after late rows, corrections and deletions on days it has answered', async () => {
    await expectExact();
    const prisma = running.app.get(DatabaseService).prisma;
    // Late rows on a whole day, and inside each range's partial edges.
    await prisma.aIUsageLog.createMany({ data: rows(5, 2, () => dayStart(10) + 7 * HOUR) });
    await prisma.aIUsageLog.createMany({ data: rows(3, 3, () => dayStart(20) + 6 * HOUR) });
    await prisma.aIUsageLog.createMany({ data: rows(3, 4, () => dayStart(4) + 12 * HOUR) });
    await expectExact();
    // A correction of costs on one day, and a row moved from one day to another.
    await client.query(
      `UPDATE "AIUsageLog" SET "costUsd" = 0.5 WHERE "createdAt" >= $1 AND "createdAt" < $2 AND "userId" = 'ann'`,
      [new Date(dayStart(12)), new Date(dayStart(11))],
    );
    await client.query(
      `UPDATE "AIUsageLog" SET "createdAt" = "createdAt" + interval '3 days'
       WHERE "id" = (SELECT "id" FROM "AIUsageLog" WHERE "createdAt" >= $1 AND "createdAt" < $2 LIMIT 1)`,
      [new Date(dayStart(15)), new Date(dayStart(14))],
    );
    await expectExact();
    // Rows moved within their day, from a partial day's first minutes into its whole
    // hours: the day's totals stay, its hours change.
    const [from] = ranges[2] as [Date, Date];
    const moved = await client.query(
      `UPDATE "AIUsageLog" SET "createdAt" = "createdAt" + interval '3 hours'
       WHERE "createdAt" >= $1 AND "createdAt" < $2`,
      [from, new Date(Math.ceil(from.getTime() / HOUR) * HOUR)],
    );
    expect(moved.rowCount).toBeGreaterThan(0);
    await expectExact();
    // Deletions: some rows of a day, then every row of another.
    await client.query(
      `DELETE FROM "AIUsageLog" WHERE "createdAt" >= $1 AND "createdAt" < $2 AND "userId" = 'bob'`,
      [new Date(dayStart(8)), new Date(dayStart(7))],
    );
    await client.query(`DELETE FROM "AIUsageLog" WHERE "createdAt" >= $1 AND "createdAt" < $2`, [
      new Date(dayStart(6)),
      new Date(dayStart(5)),
    ]);
    await expectExact();
    await client.query('TRUNCATE "AIUsageLog"');
    await expectExact();
  });
});
