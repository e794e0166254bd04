import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyMigrations, openDatabase } from '@aigw/db';
import { createTestDatabase, type TestDatabase } from '@aigw/db/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { DatabaseService } from '../src/database/database.service.js';
import { adminFetch, expectOpenAIError } from './support/admin-api.js';
import { migrationsBefore } from './support/migrations-before.js';
import { type RunningApp, startApp, TEST_ADMIN_KEY } from './support/start-app.js';
import {
  expectSummariesExact,
  type Filter,
  type Group,
  type Query,
  ROLLUP_DIFF,
  type Row,
  rangesAround,
  reference,
  type Summary,
  subsetsOf,
  viaPg,
} from './support/summary-reference.js';
import { seededRandom, type UsageRowInput, usageRow } from './support/usage-rows.js';

// AIUsageLog rows carry their request type (chat, embedding, responses, image,
// transcription, translation, speech), and the AIUsageDaily rollup keeps it in its groups.
// groupBy=requestType and the requestType filter must answer exactly what the raw rows
// say, over whole days (the rollup) and partial ones (raw rows, or the rollup minus raw
// rows), before and after rows change type, and after the migration that added the type
// to the rollup moved the sums of rows written before it.

const DAY = 86_400_000;
const TYPES = ['chat', 'embedding', 'responses', 'image', 'transcription', 'translation', 'speech'];
/** The types in the summary's row order (COLLATE "C"). */
const TYPES_IN_ORDER = [...TYPES].sort();
const TEAM_A = '0193f1a2-7b3c-7d4e-8f50-00000000001a';
const TEAM_B = '0193f1a2-7b3c-7d4e-8f50-00000000001b';
/** Every groupBy that names requestType: 32 of them. */
const TYPE_GROUPINGS = subsetsOf(['requestType', 'team', 'user', 'provider', 'model', 'day']).filter((g) =>
  g.includes('requestType'),
);
const ALL_SIX: Group[] = ['requestType', 'team', 'user', 'provider', 'model', 'day'];

/** The models of each request type, as the gateway would call them. */
const MODELS: Record<string, string[]> = {
  chat: ['gpt-4o', 'gpt-4o-mini'],
  embedding: ['text-embedding-3-small'],
  responses: ['gpt-4o'],
  image: ['dall-e-3', 'gpt-image-1'],
  transcription: ['whisper-1'],
  translation: ['whisper-1'],
  speech: ['tts-1'],
};

/** Random rows of every type over the 12 days before `now`, half of them chat, some on midnights. */
function rowMaker(seed: number, now: number): (count: number) => UsageRowInput[] {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const today = Math.floor(now / DAY) * DAY;
  return (count) =>
    Array.from({ length: count }, () => {
      const requestType = random() < 0.5 ? 'chat' : pick(TYPES);
      // Media calls have no tokens (mostly); chat and embeddings do.
      const tokens = ['chat', 'embedding', 'responses'].includes(requestType) && random() > 0.15;
      const prompt = Math.floor(random() * 20_000);
      const completion = requestType === 'embedding' ? 0 : Math.floor(random() * 4000);
      const r = random();
      return {
        userId: pick(['alice', 'bob', 'Zoe', 'user-émile']),
        teamId: pick([null, TEAM_A, TEAM_B]),
        requestType,
        provider: pick(['openai', 'azure']),
        model: pick(MODELS[requestType] as string[]),
        createdAt: new Date(
          r < 0.1 ? today - Math.floor(random() * 12) * DAY : now - Math.floor(random() * 12 * DAY),
        ),
        isSuccess: random() > 0.1,
        promptTokens: tokens ? prompt : null,
        completionTokens: tokens ? completion : null,
        totalTokens: tokens ? prompt + completion : null,
        costUsd: random() < 0.1 ? null : pick(['0.000000000001', '0.040000000000', '987654321.987654321987']),
      };
    });
}

/** The filters checked: a media type, one with a user, one with a team, chat, a type with no rows, a provider's model, and all five. */
const FILTERS: Filter[] = [
  { requestType: 'image' },
  { requestType: 'speech', userId: 'bob' },
  { requestType: 'transcription', teamId: TEAM_A },
  { requestType: 'chat' },
  { requestType: 'video' },
  // The provider and model filters, alone and with the others.
  { provider: 'azure', model: 'gpt-4o' },
  { provider: 'openai', model: 'whisper-1', requestType: 'translation', userId: 'bob', teamId: TEAM_B },
];
const FILTER_GROUPINGS: Group[][] = [[], ['requestType'], ['day'], ['user'], ['model', 'day'], ALL_SIX];

/** Totals of the rollup per day, user, provider, model and team (as text): what the backfill must keep. */
const ROLLUP_TOTALS = `
  SELECT to_char("day", 'YYYY-MM-DD') AS "day", "userId", "provider", "model", "teamId",
    SUM("requests")::text AS "requests", SUM("failures")::text AS "failures",
    SUM("promptTokens")::text AS "promptTokens", SUM("completionTokens")::text AS "completionTokens",
    SUM("totalTokens")::text AS "totalTokens", SUM("costUsd")::text AS "costUsd",
    SUM("unpricedRequests")::text AS "unpricedRequests"
  FROM "AIUsageDaily" GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5`;
const STAMPS = `SELECT to_char("day", 'YYYY-MM-DD') AS "day", "stamp"::text AS "stamp" FROM "AIUsageDailyStamp" ORDER BY 1`;

describe('usage summary by request type (PostgreSQL)', () => {
  let testDb: TestDatabase;
  let running: RunningApp;
  let client: pg.Client;
  const now = Date.now();
  const ranges = rangesAround(now);
  const summary = (query: string) => adminFetch<Summary>(running.url, `/admin/usage/summary${query}`);

  beforeAll(async () => {
    testDb = await createTestDatabase();
    running = await startApp({ DATABASE_URL: testDb.url });
    client = new pg.Client({ connectionString: testDb.url });
    await client.connect();
    const prisma = running.app.get(DatabaseService).prisma;
    const randomRows = rowMaker(20261208, now);
    for (let i = 0; i < 4; i++) await prisma.aIUsageLog.createMany({ data: randomRows(300).map(usageRow) });
  });
  afterAll(async () => {
    await client?.end();
    await running?.close();
    await testDb?.drop();
  });

  it('the rollup keeps the request type: AIUsageDaily equals the raw rows summed per day, user, provider, model, team and type', async () => {
    expect((await client.query(ROLLUP_DIFF)).rows).toEqual([]);
    const types = await client.query<{ requestType: string }>(
      `SELECT "requestType" FROM "AIUsageDaily" GROUP BY 1 ORDER BY "requestType" COLLATE "C"`,
    );
    expect(types.rows.map((r) => r.requestType)).toEqual(TYPES_IN_ORDER);
  });

  it('groupBy=requestType, alone and with team, user, provider, model and day, equals the raw rows over whole and partial days', async () => {
    const checked = await expectSummariesExact(running.url, viaPg(client), ranges, {
      groupings: TYPE_GROUPINGS,
    });
    expect(checked).toBe(ranges.length * 32);
  });

  it('answers one row per type, in name order, adding up to the totals', async () => {
    const [from, to] = ranges[1] as [Date, Date];
    const span = `?from=${from.toISOString()}&to=${to.toISOString()}`;
    const res = await summary(`${span}&groupBy=requestType`);
    expect(res.status).toBe(200);
    expect(res.body.rows.map((r) => r.requestType)).toEqual(TYPES_IN_ORDER);
    expect(Object.keys(res.body.rows[0] as Row)).toEqual([
      'requestType',
      'requests',
      'failures',
      'promptTokens',
      'completionTokens',
      'totalTokens',
      'costUsd',
      'unpricedRequests',
    ]);
    const all = await summary(span);
    expect(res.body.totals).toEqual(all.body.totals);
    const requests = res.body.rows.reduce((sum, r) => sum + Number(r.requests), 0);
    expect(requests).toBe(all.body.totals.requests);
    // Asked again (the day parts now cached), the same answer.
    expect((await summary(`${span}&groupBy=requestType`)).body).toEqual(res.body);
  });

  it('requestType (with teamId and userId) keeps only its rows: equal to the raw rows, and named in the answer', async () => {
    const query = viaPg(client);
    for (const filter of FILTERS) {
      await expectSummariesExact(running.url, query, ranges, {
        groupings: FILTER_GROUPINGS,
        filter,
        times: 2,
      });
    }
    const [from, to] = ranges[0] as [Date, Date];
    const span = `?from=${from.toISOString()}&to=${to.toISOString()}`;
    const image = await summary(`${span}&groupBy=requestType,day&requestType=image&userId=alice`);
    expect(image.status).toBe(200);
    expect(image.body).toMatchObject({ requestType: 'image', userId: 'alice' });
    const azure = await summary(`${span}&model=gpt-4o&provider=azure`);
    expect(azure.status).toBe(200);
    expect(azure.body).toMatchObject({ provider: 'azure', model: 'gpt-4o' });
    expect(new Set(image.body.rows.map((r) => r.requestType))).toEqual(new Set(['image']));
    const expected = await reference(query, from, to, ['requestType', 'day'], {
      requestType: 'image',
      userId: 'alice',
    });
    expect(expected.rows.length).toBeGreaterThan(0);
    expect({ rows: image.body.rows, totals: image.body.totals }).toEqual(expected);
    // A type with no rows: nothing, and zeros.
    const none = await summary(`${span}&groupBy=requestType&requestType=video`);
    expect(none.body.rows).toEqual([]);
    expect(none.body.totals).toMatchObject({ requests: 0, costUsd: '0.000000000000' });
  });

  it('stays exact when rows change type and a type loses all its rows', async () => {
    const query = viaPg(client);
    // Asked once first, so day parts are cached; the changes below must give those days new stamps.
    await expectSummariesExact(running.url, query, ranges, {
      groupings: [['requestType', 'day'], ['requestType'], []],
    });
    await expectSummariesExact(running.url, query, ranges, {
      groupings: [['day'], []],
      filter: { requestType: 'image' },
    });
    await client.query(
      `UPDATE "AIUsageLog" SET "requestType" = CASE "requestType"
         WHEN 'chat' THEN 'image' WHEN 'image' THEN 'chat' ELSE "requestType" END
       WHERE "userId" = 'bob'`,
    );
    await client.query(`DELETE FROM "AIUsageLog" WHERE "requestType" = 'translation'`);
    expect((await client.query(ROLLUP_DIFF)).rows).toEqual([]);
    const left = await client.query(
      `SELECT COUNT(*)::int AS n FROM "AIUsageDaily" WHERE "requestType" = 'translation'`,
    );
    expect(left.rows).toEqual([{ n: 0 }]);
    await expectSummariesExact(running.url, query, ranges, {
      groupings: [['requestType', 'day'], ['requestType'], ['requestType', 'user'], []],
    });
    for (const filter of [
      { requestType: 'image' },
      { requestType: 'translation' },
      { requestType: 'chat', userId: 'bob' },
    ]) {
      await expectSummariesExact(running.url, query, ranges, { groupings: [['day'], []], filter });
    }
  });

  it('exports a requestType column in CSV, after the other groups', async () => {
    const [from, to] = ranges[0] as [Date, Date];
    const res = await fetch(
      `${running.url}/admin/usage/summary?from=${from.toISOString()}&to=${to.toISOString()}&groupBy=requestType,model&format=csv`,
      { headers: { authorization: `Bearer ${TEST_ADMIN_KEY}` } },
    );
    expect(res.status).toBe(200);
    const lines = (await res.text()).trim().split('\r\n');
    expect(lines[0]).toBe(
      'model,requestType,requests,failures,promptTokens,completionTokens,totalTokens,costUsd,unpricedRequests',
    );
    expect(lines.slice(1).map((l) => l.split(',').slice(0, 2).join(','))).toContain('dall-e-3,image');
  });

  it('GET /admin/usage/logs?requestType= lists only rows of that type', async () => {
    const res = await adminFetch<{ items: Row[]; nextCursor: string | null }>(
      running.url,
      '/admin/usage/logs?requestType=speech&limit=500',
    );
    expect(res.status).toBe(200);
    const count = await client.query<{ n: number }>(
      `SELECT COUNT(*)::int AS n FROM "AIUsageLog" WHERE "requestType" = 'speech'`,
    );
    expect(res.body.items.length).toBe(count.rows[0]?.n);
    expect(res.body.items.length).toBeGreaterThan(0);
    expect(new Set(res.body.items.map((item) => item.requestType))).toEqual(new Set(['speech']));
  });

  describe('bad parameters: 400 in OpenAI format', () => {
    const cases: [string, string, RegExp][] = [
      ['an empty requestType', '/admin/usage/summary?requestType=', /requestType:/],
      [
        'a requestType of 201 characters',
        `/admin/usage/summary?requestType=${'x'.repeat(201)}`,
        /requestType:/,
      ],
      [
        'an unknown group',
        '/admin/usage/summary?groupBy=type',
        /groupBy: unknown value "type"; allowed: user, provider, model, day, team, requestType/,
      ],
      ['an empty requestType on the logs', '/admin/usage/logs?requestType=', /requestType:/],
    ];
    it.each(cases)('%s', async (_name, path, message) => {
      expect(expectOpenAIError(await adminFetch(running.url, path), 400)).toMatch(message);
    });
  });
});

describe('rows of every type written before the rollup knew types (PostgreSQL)', () => {
  let testDb: TestDatabase;
  let running: RunningApp | undefined;
  let client: pg.Client;
  const now = Date.now();

  beforeAll(async () => {
    testDb = await createTestDatabase();
    client = new pg.Client({ connectionString: testDb.url });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
    await running?.close();
    await testDb?.drop();
  });

  it('are moved to their type by the migration: the rollup stays exact, totals unchanged, their days restamped', async () => {
    // A rollup without types.
    const before = await migrationsBefore('_add_request_type_to_usage_daily');
    const db = await openDatabase({
      kind: 'postgres',
      url: testDb.url,
      connectionTimeoutMs: 5000,
      poolSize: 2,
    });
    let totalsBefore: Row[];
    let stampsBefore: Row[];
    try {
      await applyMigrations(db, { migrationsDir: before });
      const rows = rowMaker(78, now)(600).map(usageRow);
      await db.prisma.aIUsageLog.createMany({ data: rows });
      // A day of chat rows only: its sums and stamp are left as they are.
      await db.prisma.aIUsageLog.createMany({
        data: rowMaker(
          79,
          now,
        )(20).map((row) =>
          usageRow({ ...row, requestType: 'chat', model: 'gpt-4o', createdAt: new Date(now - 20 * DAY) }),
        ),
      });
      expect((await client.query(`SELECT DISTINCT "requestType" FROM "AIUsageLog"`)).rows.length).toBe(
        TYPES.length,
      );
      totalsBefore = (await client.query(ROLLUP_TOTALS)).rows;
      stampsBefore = (await client.query(STAMPS)).rows;
      const applied = await applyMigrations(db);
      expect(applied.some((name) => name.endsWith('_add_request_type_to_usage_daily'))).toBe(true);
    } finally {
      await db.close();
      await rm(before, { recursive: true, force: true });
    }
    expect((await client.query(ROLLUP_DIFF)).rows).toEqual([]);
    expect((await client.query(ROLLUP_TOTALS)).rows).toEqual(totalsBefore);
    expect((await client.query(`SELECT 1 FROM "AIUsageDaily" WHERE "requests" = 0`)).rows).toEqual([]);
    // Every day with rows of another type than chat has a new stamp; the chat-only day keeps its own.
    const stampsAfter = new Map(
      (await client.query<{ day: string; stamp: string }>(STAMPS)).rows.map((r) => [r.day, r.stamp]),
    );
    const moved = await client.query<{ day: string }>(
      `SELECT DISTINCT to_char(("createdAt" AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD') AS "day"
       FROM "AIUsageLog" WHERE "requestType" <> 'chat'`,
    );
    const movedDays = new Set(moved.rows.map((r) => r.day));
    expect(movedDays.size).toBeGreaterThan(5);
    for (const { day, stamp } of stampsBefore as { day: string; stamp: string }[]) {
      if (movedDays.has(day)) expect([day, stampsAfter.get(day)]).not.toEqual([day, stamp]);
      else expect([day, stampsAfter.get(day)]).toEqual([day, stamp]);
    }
    const chatOnlyDay = new Date(now - 20 * DAY).toISOString().slice(0, 10);
    expect(movedDays.has(chatOnlyDay)).toBe(false);
    expect(stampsAfter.has(chatOnlyDay)).toBe(true);

    running = await startApp({ DATABASE_URL: testDb.url });
    const ranges = rangesAround(now).slice(0, 3);
    await expectSummariesExact(running.url, viaPg(client), ranges, {
      groupings: [['requestType'], ALL_SIX, []],
    });
    await expectSummariesExact(running.url, viaPg(client), ranges, {
      groupings: [['day'], []],
      filter: { requestType: 'speech' },
    });
  });
});

describe('usage summary by request type (embedded PGlite)', () => {
  let dir: string;
  let running: RunningApp;
  const now = Date.now();

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'aigw-type-summary-'));
    running = await startApp({ PGLITE_DIR: dir });
    const prisma = running.app.get(DatabaseService).prisma;
    await prisma.aIUsageLog.createMany({ data: rowMaker(6, now)(400).map(usageRow) });
  });
  afterAll(async () => {
    await running?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps the type in AIUsageDaily and answers groupBy=requestType and requestType as the raw rows say', async () => {
    const prisma = running.app.get(DatabaseService).prisma;
    const query: Query = (sql, params) => prisma.$queryRawUnsafe<Row[]>(sql, ...params);
    expect(await query(ROLLUP_DIFF, [])).toEqual([]);
    const ranges = rangesAround(now);
    await expectSummariesExact(running.url, query, ranges, {
      groupings: [['requestType'], ['requestType', 'day'], ALL_SIX],
    });
    await expectSummariesExact(running.url, query, ranges, {
      groupings: [[], ['day']],
      filter: { requestType: 'image' },
    });
  });
});
