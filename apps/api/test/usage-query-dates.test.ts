import { createTestDatabase, type TestDatabase } from '@aigw/db/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DatabaseService } from '../src/database/database.service.js';
import { adminFetch, expectOpenAIError } from './support/admin-api.js';
import { type RunningApp, startApp, TEST_ADMIN_KEY } from './support/start-app.js';
import { type UsageRowInput, usageRow } from './support/usage-rows.js';

interface Totals {
  requests: number;
  costUsd: string;
}
interface Summary {
  from: string;
  to: string;
  rows: (Totals & { day?: string })[];
  totals: Totals;
}

const DAY_MS = 86_400_000;
const row = (iso: string, costUsd: string): UsageRowInput => ({
  userId: 'dates',
  provider: 'openai',
  model: 'gpt-4o',
  createdAt: new Date(iso),
  costUsd,
});
// Each cost a power of two: a sum names the rows it counts.
const ROWS = [
  row('2025-11-06T23:59:59.999Z', '1'),
  row('2025-11-07T00:00:00.000Z', '2'),
  row('2025-11-07T11:30:00.000Z', '4'),
  row('2025-11-07T23:59:59.999Z', '8'),
  row('2025-11-08T00:00:00.000Z', '16'),
  row('2025-11-08T18:00:00.000Z', '32'),
];
const usd = (n: number) => `${n}.000000000000`;

describe('date-only from and to on /admin/usage/*: from is that day at midnight UTC, to the end of that day', () => {
  let testDb: TestDatabase;
  let running: RunningApp;
  const now = Date.now();
  const todayStart = Math.floor(now / DAY_MS) * DAY_MS;
  const today = new Date(todayStart).toISOString().slice(0, 10);
  beforeAll(async () => {
    testDb = await createTestDatabase();
    running = await startApp({ DATABASE_URL: testDb.url });
    const prisma = running.app.get(DatabaseService).prisma;
    // And one row earlier today (so far as today has gone), to read today by its date.
    const earlierToday = new Date(todayStart + Math.floor((now - todayStart) / 2)).toISOString();
    await prisma.aIUsageLog.createMany({ data: [...ROWS, row(earlierToday, '64')].map(usageRow) });
  });
  afterAll(async () => {
    await running?.close();
    await testDb?.drop();
  });

  const get = <T>(path: string) => adminFetch<T>(running.url, path);
  const summary = async (query: string) => {
    const res = await get<Summary>(`/admin/usage/summary${query}`);
    expect([query, res.status]).toEqual([query, 200]);
    return res.body;
  };

  it('summary: from=D&to=D is the whole day D, as from=D&to=<the next midnight>', async () => {
    const day = await summary('?from=2025-11-07&to=2025-11-07&groupBy=day');
    expect(day).toMatchObject({
      from: '2025-11-07T00:00:00.000Z',
      to: '2025-11-08T00:00:00.000Z',
      totals: { requests: 3, costUsd: usd(2 + 4 + 8) },
    });
    expect(day.rows).toEqual([expect.objectContaining({ day: '2025-11-07', requests: 3, costUsd: usd(14) })]);
    expect(await summary('?from=2025-11-07T00:00:00Z&to=2025-11-08T00:00:00Z&groupBy=day')).toEqual(day);
    // Two days; and a date alone that ends a range starting mid-day (a partial first day, a whole last one).
    expect((await summary('?from=2025-11-07&to=2025-11-08')).totals).toMatchObject({
      requests: 5,
      costUsd: usd(2 + 4 + 8 + 16 + 32),
    });
    const partial = await summary('?from=2025-11-07T06:00:00Z&to=2025-11-08&groupBy=day');
    expect(partial.to).toBe('2025-11-09T00:00:00.000Z');
    expect(partial.rows).toEqual([
      expect.objectContaining({ day: '2025-11-07', requests: 2, costUsd: usd(4 + 8) }),
      expect.objectContaining({ day: '2025-11-08', requests: 2, costUsd: usd(16 + 32) }),
    ]);
    expect(await summary('?from=2025-11-07T06:00:00Z&to=2025-11-09T00:00:00.000Z&groupBy=day')).toEqual(
      partial,
    );
    // The CSV export covers the same range, and says so in its file name.
    const csv = await fetch(`${running.url}/admin/usage/summary?from=2025-11-07&to=2025-11-07&format=csv`, {
      headers: { authorization: `Bearer ${TEST_ADMIN_KEY}` },
    });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-disposition')).toContain(
      'aigw-usage_2025-11-07T000000Z_2025-11-08T000000Z.csv',
    );
    expect((await csv.text()).split('\r\n')[1]).toBe(`3,0,0,0,0,${usd(14)},0`);
  });

  it('a date-time to stays that very instant (exclusive)', async () => {
    expect((await summary('?from=2025-11-07&to=2025-11-07T23:59:59.999Z')).totals).toMatchObject({
      requests: 2,
      costUsd: usd(2 + 4),
    });
    const before = await summary('?from=2025-11-06&to=2025-11-07T00:00:00Z');
    expect(before).toMatchObject({
      to: '2025-11-07T00:00:00.000Z',
      totals: { requests: 1, costUsd: usd(1) },
    });
    // A date with an offset's time is exact too: 02:00+02:00 is midnight UTC.
    const offset = await summary(`?from=2025-11-06&to=${encodeURIComponent('2025-11-07T02:00:00+02:00')}`);
    expect(offset.to).toBe('2025-11-07T00:00:00.000Z');
  });

  it("today by its date: from=today&to=today is today's rows so far", async () => {
    const todays = await summary(`?from=${today}&to=${today}`);
    expect(todays).toMatchObject({
      from: `${today}T00:00:00.000Z`,
      to: new Date(todayStart + DAY_MS).toISOString(),
      totals: { requests: 1, costUsd: usd(64) },
    });
  });

  it('logs: from=D&to=D pages the rows of day D', async () => {
    const res = await get<{ items: { createdAt: string; costUsd: string }[] }>(
      '/admin/usage/logs?from=2025-11-07&to=2025-11-07',
    );
    expect(res.status).toBe(200);
    expect(res.body.items.map((i) => i.createdAt)).toEqual([
      '2025-11-07T23:59:59.999Z',
      '2025-11-07T11:30:00.000Z',
      '2025-11-07T00:00:00.000Z',
    ]);
    const exact = await get<{ items: unknown[] }>(
      '/admin/usage/logs?from=2025-11-07&to=2025-11-07T11:30:00Z',
    );
    expect(exact.body.items).toHaveLength(1);
  });

  it('providers and users: from=D&to=D is the whole day D', async () => {
    const providers = await get<{ from: string; to: string; totals: { requests: number } }>(
      '/admin/usage/providers?from=2025-11-07&to=2025-11-07',
    );
    expect(providers).toMatchObject({
      status: 200,
      body: { from: '2025-11-07T00:00:00.000Z', to: '2025-11-08T00:00:00.000Z', totals: { requests: 3 } },
    });
    const users = await get<{ to: string; rows: { userId: string; requests: number; costUsd: string }[] }>(
      '/admin/usage/users?from=2025-11-07&to=2025-11-07',
    );
    expect(users.status).toBe(200);
    expect(users.body.to).toBe('2025-11-08T00:00:00.000Z');
    expect(users.body.rows).toEqual([
      expect.objectContaining({ userId: 'dates', requests: 3, costUsd: usd(14) }),
    ]);
  });

  describe('a to before from is still a 400', () => {
    const cases: [string, RegExp][] = [
      [
        '/admin/usage/summary?from=2025-11-08&to=2025-11-07',
        /from: must be before to \(got from=2025-11-08T00:00:00.000Z, to=2025-11-08T00:00:00.000Z\)/,
      ],
      ['/admin/usage/summary?from=2025-11-08T00:00:01Z&to=2025-11-07', /from: must be before to/],
      ['/admin/usage/logs?from=2025-11-08&to=2025-11-07', /from: must be before to/],
      ['/admin/usage/providers?from=2025-11-08&to=2025-11-07', /from: must be before to/],
      ['/admin/usage/users?from=2025-11-08&to=2025-11-07', /from: must be before to/],
      ['/admin/usage/summary?to=2025-11-31', /to: "2025-11-31" is not an ISO 8601 date/],
    ];
    it.each(cases)('%s', async (path, message) => {
      expect(expectOpenAIError(await get(path), 400)).toMatch(message);
    });
  });
});
