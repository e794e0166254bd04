import { Prisma } from '@aigw/db';
import { createTestDatabase, type TestDatabase } from '@aigw/db/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DatabaseService } from '../src/database/database.service.js';
import { adminFetch, expectOpenAIError } from './support/admin-api.js';
import { type RunningApp, startApp } from './support/start-app.js';
import { seededRandom, type UsageRowInput, usageRow } from './support/usage-rows.js';

type Group = 'user' | 'provider' | 'model' | 'day';
const GROUPS: Group[] = ['user', 'provider', 'model', 'day'];
const FIELD = { user: 'userId', provider: 'provider', model: 'model', day: 'day' } as const;
// Rows are ordered by day, user, provider, model, whatever order groupBy names them in.
const ORDER: Group[] = ['day', 'user', 'provider', 'model'];

interface Measures {
  requests: number;
  failures: number;
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  costUsd: string;
  unpricedRequests: number;
}
type Row = Partial<Record<'userId' | 'provider' | 'model' | 'day', string>> & Measures;
interface Summary {
  from: string;
  to: string;
  groupBy: Group[];
  rows: Row[];
  totals: Measures;
}

// decimal.js (Prisma's Decimal) rounds arithmetic to 20 significant digits by default: raise it.
const Decimal = Prisma.Decimal.clone({ precision: 60 });

const FROM = new Date('2025-03-01T00:00:00.000Z');
const TO = new Date('2025-03-05T00:00:00.000Z');
const at = (iso: string) => new Date(iso);
const groupValue = (row: UsageRowInput, group: Group) =>
  group === 'day'
    ? row.createdAt.toISOString().slice(0, 10)
    : row[FIELD[group] as 'userId' | 'provider' | 'model'];

/** The measures of a set of rows, with exact decimal sums. */
function measure(rows: UsageRowInput[]): Measures {
  return {
    requests: rows.length,
    failures: rows.filter((r) => r.isSuccess === false).length,
    promptTokens: rows.reduce((sum, r) => sum + (r.promptTokens ?? 0), 0),
    completionTokens: rows.reduce((sum, r) => sum + (r.completionTokens ?? 0), 0),
    totalTokens: rows.reduce((sum, r) => sum + (r.totalTokens ?? 0), 0),
    costUsd: rows
      .reduce((sum, r) => (r.costUsd == null ? sum : sum.plus(r.costUsd)), new Decimal(0))
      .toFixed(12),
    unpricedRequests: rows.filter((r) => r.costUsd == null).length,
  };
}

/** What the summary must answer, computed here from the rows themselves. */
function expectedSummary(rows: UsageRowInput[], from: Date, to: Date, groupBy: Group[]) {
  const inRange = rows.filter((r) => r.createdAt >= from && r.createdAt < to);
  const groups = ORDER.filter((g) => groupBy.includes(g));
  const buckets = new Map<string, UsageRowInput[]>();
  for (const row of inRange) {
    const key = JSON.stringify(groups.map((g) => groupValue(row, g)));
    buckets.set(key, [...(buckets.get(key) ?? []), row]);
  }
  const grouped = groupBy.length
    ? [...buckets.entries()]
        // Code-point order, as the database's COLLATE "C".
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([key, members]) => {
          const values = JSON.parse(key) as string[];
          return { ...Object.fromEntries(groups.map((g, i) => [FIELD[g], values[i]])), ...measure(members) };
        })
    : [];
  return { from: from.toISOString(), to: to.toISOString(), rows: grouped, totals: measure(inRange) };
}

/** Every subset of the four group names: 16 of them. */
const SUBSETS: Group[][] = Array.from({ length: 16 }, (_, mask) => GROUPS.filter((_, i) => mask & (1 << i)));

function generatedRows(): UsageRowInput[] {
  const random = seededRandom(42);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const models = { openai: ['gpt-4o', 'gpt-4o-mini'], anthropic: ['claude-sonnet-4-5'], local: ['llama3.2'] };
  const costs = ['0.000000000001', '0.000150000000', '0.123456789012', '1.5', '987654321.987654321987'];
  return Array.from({ length: 80 }, () => {
    const provider = pick(['openai', 'anthropic', 'local'] as const);
    const known = random() > 0.2;
    const prompt = Math.floor(random() * 5000);
    const completion = Math.floor(random() * 2000);
    return {
      userId: pick(['alice', 'bob', 'Zoe', 'user-émile']),
      provider,
      model: pick(models[provider]),
      // Anywhere in the four days of the range.
      createdAt: new Date(FROM.getTime() + Math.floor(random() * (TO.getTime() - FROM.getTime()))),
      isSuccess: random() > 0.25,
      promptTokens: known ? prompt : null,
      completionTokens: known ? completion : null,
      totalTokens: known ? prompt + completion : null,
      costUsd: provider === 'local' || random() < 0.1 ? null : pick(costs),
    };
  });
}

// Rows on the edges of the range and of UTC days.
const EDGE_ROWS: UsageRowInput[] = [
  {
    userId: 'alice',
    provider: 'openai',
    model: 'gpt-4o',
    createdAt: FROM,
    costUsd: '0.000000000007',
    promptTokens: 7,
  },
  {
    userId: 'alice',
    provider: 'openai',
    model: 'gpt-4o',
    createdAt: at('2025-02-28T23:59:59.999Z'),
    costUsd: '5',
  },
  { userId: 'alice', provider: 'openai', model: 'gpt-4o', createdAt: TO, costUsd: '5' },
  {
    userId: 'bob',
    provider: 'openai',
    model: 'gpt-4o',
    createdAt: at('2025-03-01T23:59:59.999Z'),
    costUsd: '0.1',
  },
  {
    userId: 'bob',
    provider: 'openai',
    model: 'gpt-4o',
    createdAt: at('2025-03-02T00:00:00.000Z'),
    costUsd: '0.2',
  },
  {
    userId: 'bob',
    provider: 'openai',
    model: 'gpt-4o',
    createdAt: at('2025-03-04T23:59:59.999Z'),
    costUsd: '0.3',
  },
];

describe('admin API: GET /admin/usage/summary', () => {
  let testDb: TestDatabase;
  let running: RunningApp;
  const rows = [...generatedRows(), ...EDGE_ROWS];
  const summary = (query: string) => adminFetch<Summary>(running.url, `/admin/usage/summary${query}`);

  beforeAll(async () => {
    testDb = await createTestDatabase();
    running = await startApp({ DATABASE_URL: testDb.url });
    await running.app.get(DatabaseService).prisma.aIUsageLog.createMany({ data: rows.map(usageRow) });
  });
  afterAll(async () => {
    await running?.close();
    await testDb?.drop();
  });

  it('the test data covers what matters: failures, unknown tokens, unpriced rows, every day', () => {
    const inRange = rows.filter((r) => r.createdAt >= FROM && r.createdAt < TO);
    expect(inRange.some((r) => r.isSuccess === false)).toBe(true);
    expect(inRange.some((r) => r.promptTokens == null)).toBe(true);
    expect(inRange.some((r) => r.costUsd == null)).toBe(true);
    expect(new Set(inRange.map((r) => groupValue(r, 'day')))).toEqual(
      new Set(['2025-03-01', '2025-03-02', '2025-03-03', '2025-03-04']),
    );
  });

  it.each(SUBSETS.map((s) => [s.join(',') || '(none)', s] as const))(
    'groupBy=%s: rows and totals equal the sums computed here',
    async (_name, groupBy) => {
      const query = `?from=${FROM.toISOString()}&to=${TO.toISOString()}${groupBy.length ? `&groupBy=${groupBy.join(',')}` : ''}`;
      const res = await summary(query);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ ...expectedSummary(rows, FROM, TO, groupBy), groupBy });
    },
  );

  it('sums money exactly, beyond what a float holds', async () => {
    const res = await summary(`?from=${FROM.toISOString()}&to=${TO.toISOString()}`);
    const exact = measure(rows.filter((r) => r.createdAt >= FROM && r.createdAt < TO)).costUsd;
    expect(res.body.totals.costUsd).toBe(exact);
    expect(Number(exact).toFixed(12)).not.toBe(exact);
  });

  it('includes a row exactly at from, excludes one exactly at to, and splits days at UTC midnight', async () => {
    const ms = (date: Date, delta: number) => new Date(date.getTime() + delta).toISOString();
    const totalsOf = async (from: string, to: string) =>
      (await summary(`?from=${from}&to=${to}`)).body.totals;

    // The row at exactly FROM is in [FROM, ...); the one 1 ms before is not.
    expect(await totalsOf(FROM.toISOString(), ms(FROM, 1))).toMatchObject({
      requests: 1,
      costUsd: '0.000000000007',
    });
    expect(await totalsOf(ms(FROM, -1), FROM.toISOString())).toMatchObject({
      requests: 1,
      costUsd: '5.000000000000',
    });
    // The row at exactly TO is not in [..., TO), but in [TO, ...).
    expect(await totalsOf(ms(TO, -1), TO.toISOString())).toMatchObject({
      requests: 1,
      costUsd: '0.300000000000',
    });
    expect(await totalsOf(TO.toISOString(), ms(TO, 1))).toMatchObject({
      requests: 1,
      costUsd: '5.000000000000',
    });

    // 23:59:59.999 and 00:00:00.000 UTC fall on two days.
    const midnight = at('2025-03-02T00:00:00.000Z');
    const split = await summary(`?from=${ms(midnight, -1)}&to=${ms(midnight, 1)}&groupBy=day`);
    expect(split.body.rows).toEqual([
      { day: '2025-03-01', ...measure([EDGE_ROWS[3] as UsageRowInput]) },
      { day: '2025-03-02', ...measure([EDGE_ROWS[4] as UsageRowInput]) },
    ]);

    // Offsets are honoured: 02:00+02:00 is midnight UTC; a date alone as `to` is the end of that UTC day.
    const offset = await summary(`?from=${encodeURIComponent('2025-03-01T02:00:00+02:00')}&to=2025-03-04`);
    expect(offset.body).toMatchObject({ from: FROM.toISOString(), to: TO.toISOString() });
    expect(offset.body.totals).toEqual(expectedSummary(rows, FROM, TO, []).totals);
  });

  it('an empty range answers zero totals, with costUsd "0.000000000000"', async () => {
    const res = await summary('?from=2020-01-01&to=2020-01-01&groupBy=user,day');
    expect(res.body).toEqual({
      from: '2020-01-01T00:00:00.000Z',
      to: '2020-01-02T00:00:00.000Z',
      groupBy: ['user', 'day'],
      rows: [],
      totals: {
        requests: 0,
        failures: 0,
        promptTokens: 0,
        completionTokens: 0,
        totalTokens: 0,
        costUsd: '0.000000000000',
        unpricedRequests: 0,
      },
    });
  });

  it('defaults to the 30 days before now', async () => {
    const now = Date.now();
    const recent: UsageRowInput[] = [
      {
        userId: 'recent',
        provider: 'openai',
        model: 'gpt-4o',
        createdAt: new Date(now - 60_000),
        costUsd: '1',
      },
      {
        userId: 'recent',
        provider: 'openai',
        model: 'gpt-4o',
        createdAt: new Date(now - 29 * 86_400_000),
        costUsd: '2',
      },
      {
        userId: 'recent',
        provider: 'openai',
        model: 'gpt-4o',
        createdAt: new Date(now - 31 * 86_400_000),
        costUsd: '4',
      },
    ];
    await running.app.get(DatabaseService).prisma.aIUsageLog.createMany({ data: recent.map(usageRow) });
    const res = await summary('?groupBy=user');
    expect(res.status).toBe(200);
    const to = Date.parse(res.body.to);
    expect(Math.abs(to - Date.now())).toBeLessThan(10_000);
    expect(to - Date.parse(res.body.from)).toBe(30 * 86_400_000);
    expect(res.body.rows).toEqual([{ userId: 'recent', ...measure(recent.slice(0, 2)) }]);
  });

  describe('bad parameters: 400 in OpenAI format with a clear message', () => {
    const cases: [string, RegExp][] = [
      ['?from=yesterday', /from: "yesterday" is not an ISO 8601 date or date-time.*2025-01-31T12:00:00Z/],
      ['?to=2025-13-01', /to: "2025-13-01" is not an ISO 8601/],
      ['?from=2025-02-30', /from: "2025-02-30" is not an ISO 8601/],
      ['?from=2025-03-01T25:00:00Z', /from: .* is not an ISO 8601/],
      ['?from=1741000000', /from: .* is not an ISO 8601/],
      ['?from=2025-03-02&to=2025-03-01', /from: must be before to/],
      ['?from=2025-03-01&to=2025-03-01T00:00:00Z', /from: must be before to/],
      ['?from=2999-01-01', /from: must be before to/],
      ['?groupBy=user,week', /groupBy: unknown value "week"; allowed: user, provider, model, day/],
      ['?groupBy=User', /groupBy: unknown value "User"; allowed: user, provider, model, day/],
      ['?user=alice', /Unrecognized key: "user"/],
    ];
    it.each(cases)('%s', async (query, message) => {
      const res = await summary(query);
      expect(expectOpenAIError(res, 400)).toMatch(message);
    });
  });

  it('ignores duplicate and empty groupBy names', async () => {
    const res = await summary(
      `?from=${FROM.toISOString()}&to=${TO.toISOString()}&groupBy=provider,,provider,`,
    );
    expect(res.body).toEqual({ ...expectedSummary(rows, FROM, TO, ['provider']), groupBy: ['provider'] });
    const none = await summary(`?from=${FROM.toISOString()}&to=${TO.toISOString()}&groupBy=`);
    expect(none.body).toMatchObject({ groupBy: [], rows: [] });
  });
});
