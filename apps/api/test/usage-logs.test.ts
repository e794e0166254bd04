import { createTestDatabase, type TestDatabase } from '@aigw/db/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DatabaseService } from '../src/database/database.service.js';
import { adminFetch, expectOpenAIError } from './support/admin-api.js';
import { type RunningApp, startApp } from './support/start-app.js';
import { seededRandom, type UsageRowInput, usageRow } from './support/usage-rows.js';

interface Item {
  id: string;
  userId: string;
  provider: string;
  model: string;
  costUsd: string | null;
  createdAt: string;
  [column: string]: unknown;
}
interface Page {
  items: Item[];
  nextCursor: string | null;
}

const BASE = Date.parse('2025-06-01T00:00:00.000Z');
const TEAM = '0193f1a2-7b3c-7d4e-8f50-6a7b8c9d0e1f';
const OTHER_TEAM = '0193f1a2-7b3c-7d4e-8f50-000000000002';

function generatedRows(): UsageRowInput[] {
  const random = seededRandom(7);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  return Array.from({ length: 120 }, (_, i) => ({
    userId: pick(['alice', 'bob', 'carol']),
    provider: pick(['openai', 'anthropic']),
    model: pick(['m-small', 'm-large']),
    teamId: pick([TEAM, OTHER_TEAM, null]),
    // Every 6th row shares its timestamp with the 5 before it: 20 groups of equal createdAt.
    createdAt: new Date(BASE + Math.floor(i / 6) * 60_000),
    isSuccess: i % 7 !== 0,
    promptTokens: i % 5 ? i * 10 : null,
    completionTokens: i % 5 ? i : null,
    totalTokens: i % 5 ? i * 11 : null,
    costUsd: i % 4 ? `0.${String(i).padStart(12, '0')}` : null,
  }));
}

describe('admin API: GET /admin/usage/logs', () => {
  let testDb: TestDatabase;
  let running: RunningApp;
  /** The stored rows, in the order the API must page them: createdAt DESC, id DESC. */
  let stored: {
    id: string;
    userId: string;
    teamId: string | null;
    provider: string;
    model: string;
    createdAt: Date;
  }[];
  const logs = (query: string) => adminFetch<Page>(running.url, `/admin/usage/logs${query}`);

  async function pageThrough(
    query: string,
    limit: number,
    startCursor: string | null = null,
  ): Promise<{ ids: string[]; pages: number }> {
    const ids: string[] = [];
    let cursor = startCursor;
    let pages = 0;
    do {
      const res: { status: number; body: Page } = await logs(
        `?limit=${limit}${query}${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(limit);
      ids.push(...res.body.items.map((item) => item.id));
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor && pages < 100);
    return { ids, pages };
  }

  const expectedIds = (keep: (row: (typeof stored)[number]) => boolean) =>
    stored.filter(keep).map((row) => row.id);

  beforeAll(async () => {
    testDb = await createTestDatabase();
    running = await startApp({ DATABASE_URL: testDb.url });
    const prisma = running.app.get(DatabaseService).prisma;
    await prisma.aIUsageLog.createMany({ data: generatedRows().map(usageRow) });
    stored = (await prisma.aIUsageLog.findMany()).sort(
      (a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0),
    );
  });
  afterAll(async () => {
    await running?.close();
    await testDb?.drop();
  });

  it('pages through every row exactly once, newest first, with equal timestamps in a stable order', async () => {
    const { ids, pages } = await pageThrough('', 25);
    expect(pages).toBe(5);
    expect(new Set(ids).size).toBe(120);
    expect(ids).toEqual(stored.map((row) => row.id));
  });

  it('stays stable when rows are added while paging', async () => {
    const first = (await logs('?limit=25')).body;
    const prisma = running.app.get(DatabaseService).prisma;
    // A newer row, and one sharing the createdAt of the last row seen with a higher id (a later
    // UUIDv7): both sort before the cursor, so the following pages must not show them.
    const lastSeen = stored[24];
    const extra = [
      usageRow({ userId: 'late', provider: 'openai', model: 'm-small', createdAt: new Date() }),
      usageRow({
        userId: 'late',
        provider: 'openai',
        model: 'm-small',
        createdAt: lastSeen?.createdAt ?? new Date(),
      }),
    ];
    await prisma.aIUsageLog.createMany({ data: extra });
    try {
      const tied = await prisma.aIUsageLog.findFirst({
        where: { userId: 'late', createdAt: lastSeen?.createdAt },
      });
      expect(tied && lastSeen && tied.id > lastSeen.id).toBe(true);
      const rest = await pageThrough('', 25, first.nextCursor);
      expect([...first.items.map((i) => i.id), ...rest.ids]).toEqual(stored.map((row) => row.id));
    } finally {
      await prisma.aIUsageLog.deleteMany({ where: { userId: 'late' } });
    }
  });

  it('shows each row with its cost as an exact decimal string (or null), createdAt in ISO 8601, JSON columns', async () => {
    const prisma = running.app.get(DatabaseService).prisma;
    const createdAt = new Date('2024-01-01T12:34:56.789Z');
    await prisma.aIUsageLog.create({
      data: {
        ...usageRow({
          userId: 'shape',
          provider: 'openai',
          model: 'gpt-4o',
          createdAt,
          promptTokens: 3,
          completionTokens: 2,
          totalTokens: 5,
          costUsd: '0.000000000001',
        }),
        pricing: { inputPerMTok: '2.5', outputPerMTok: '10' },
        metadata: { feature: 'chat', tags: ['a'] },
        errorCode: null,
      },
    });
    try {
      const res = await logs('?userId=shape');
      expect(res.status).toBe(200);
      expect(res.body.nextCursor).toBeNull();
      expect(res.body.items).toEqual([
        {
          id: expect.any(String),
          requestId: expect.any(String),
          attempt: 1,
          userId: 'shape',
          apiKeyId: null,
          teamId: null,
          provider: 'openai',
          model: 'gpt-4o',
          requestedModel: 'openai/gpt-4o',
          requestType: 'chat',
          stream: false,
          promptTokens: 3,
          cacheReadTokens: null,
          cacheWriteTokens: null,
          completionTokens: 2,
          reasoningTokens: null,
          totalTokens: 5,
          usageSource: 'reported',
          unit: null,
          quantity: null,
          costUsd: '0.000000000001',
          pricing: { inputPerMTok: '2.5', outputPerMTok: '10' },
          isSuccess: true,
          errorCode: null,
          httpStatus: null,
          latencyMs: 100,
          timeToFirstTokenMs: null,
          characterId: null,
          chatId: null,
          metadata: { feature: 'chat', tags: ['a'] },
          createdAt: '2024-01-01T12:34:56.789Z',
        },
      ]);
      const unpriced = (await logs('?userId=alice&limit=500')).body.items.filter((i) => i.costUsd === null);
      expect(unpriced.length).toBeGreaterThan(0);
      const priced = (await logs('?userId=alice&limit=500')).body.items.find((i) => i.costUsd !== null);
      expect(priced?.costUsd).toMatch(/^0\.\d{12}$/);
    } finally {
      await prisma.aIUsageLog.deleteMany({ where: { userId: 'shape' } });
    }
  });

  it('filters by userId, teamId, provider, model and time, paging within the filter', async () => {
    const from = new Date(BASE + 5 * 60_000);
    const to = new Date(BASE + 12 * 60_000);
    const cases: [string, (row: (typeof stored)[number]) => boolean][] = [
      ['&userId=alice', (r) => r.userId === 'alice'],
      ['&provider=anthropic', (r) => r.provider === 'anthropic'],
      ['&model=m-large', (r) => r.model === 'm-large'],
      [
        '&userId=bob&provider=openai&model=m-small',
        (r) => r.userId === 'bob' && r.provider === 'openai' && r.model === 'm-small',
      ],
      [`&from=${from.toISOString()}`, (r) => r.createdAt >= from],
      [`&to=${to.toISOString()}`, (r) => r.createdAt < to],
      [
        `&from=${from.toISOString()}&to=${to.toISOString()}&userId=carol`,
        (r) => r.createdAt >= from && r.createdAt < to && r.userId === 'carol',
      ],
      ['&userId=nobody', () => false],
      [`&teamId=${TEAM}`, (r) => r.teamId === TEAM],
      [
        `&teamId=${OTHER_TEAM.toUpperCase()}&userId=bob`,
        (r) => r.teamId === OTHER_TEAM && r.userId === 'bob',
      ],
      ['&teamId=00000000-0000-0000-0000-000000000000', () => false],
    ];
    for (const [query, keep] of cases) {
      const expected = expectedIds(keep);
      const { ids } = await pageThrough(query, 7);
      expect([query, ids]).toEqual([query, expected]);
    }
    // from is inclusive and to exclusive: six rows share each minute.
    expect(expectedIds((r) => r.createdAt >= from && r.createdAt < to)).toHaveLength(42);
  });

  it('uses limit 50 by default and accepts up to 500', async () => {
    const byDefault = (await logs('')).body;
    expect(byDefault.items.map((i) => i.id)).toEqual(stored.slice(0, 50).map((row) => row.id));
    expect(byDefault.nextCursor).toEqual(expect.any(String));
    const all = (await logs('?limit=500')).body;
    expect(all.items).toHaveLength(120);
    expect(all.nextCursor).toBeNull();
    // A page that ends exactly at the last row has no next cursor.
    expect((await logs('?limit=120')).body.nextCursor).toBeNull();
  });

  describe('bad parameters: 400 in OpenAI format', () => {
    const tampered = Buffer.from(JSON.stringify(['2025-06-01T00:00:00.000Z', "x' OR 1=1 --"])).toString(
      'base64url',
    );
    const cases: [string, RegExp][] = [
      ['?limit=1000', /limit: must be an integer from 1 to 500/],
      ['?limit=501', /limit: must be an integer from 1 to 500/],
      ['?limit=0', /limit: must be an integer from 1 to 500/],
      ['?limit=-5', /limit: must be an integer from 1 to 500/],
      ['?limit=ten', /limit: must be an integer from 1 to 500/],
      ['?limit=2.5', /limit: must be an integer from 1 to 500/],
      ['?cursor=zzz', /cursor: not a valid cursor/],
      ['?cursor=not%20a%20cursor', /cursor: not a valid cursor/],
      [`?cursor=${tampered}`, /cursor: not a valid cursor/],
      ['?from=last-week', /from: "last-week" is not an ISO 8601 date or date-time/],
      ['?to=2025-06-31', /to: "2025-06-31" is not an ISO 8601/],
      ['?from=2025-06-02&to=2025-06-01', /from: must be before to/],
      ['?userId=', /userId:/],
      ['?teamId=team-a', /teamId: must be a team id \(a UUID\)/],
      ['?user=alice', /Unrecognized key: "user"/],
    ];
    it.each(cases)('%s', async (query, message) => {
      expect(expectOpenAIError(await logs(query), 400)).toMatch(message);
    });
  });
});
