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

// AIUsageLog rows carry the team they were charged to (null: none), and the AIUsageDaily
// rollup keeps it in its groups. groupBy=team and the teamId filter must answer exactly
// what the raw rows say, rows with no team included, over whole days (the rollup) and
// partial ones (raw rows, or the rollup minus raw rows), before and after rows move.

const DAY = 86_400_000;
const TEAMS = [
  '0193f1a2-7b3c-7d4e-8f50-00000000000a',
  '0193f1a2-7b3c-7d4e-8f50-00000000000b',
  '0193f1a2-7b3c-7d4e-8f50-00000000000c',
];
const [TEAM_A, TEAM_B, TEAM_C] = TEAMS as [string, string, string];
/** Every groupBy that names team: 16 of them. */
const TEAM_GROUPINGS = subsetsOf(['team', 'user', 'provider', 'model', 'day']).filter((g) =>
  g.includes('team'),
);

/** Random rows over the 12 days before `now`, a third of them outside any team, some on midnights. */
function rowMaker(seed: number, now: number): (count: number) => UsageRowInput[] {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const today = Math.floor(now / DAY) * DAY;
  return (count) =>
    Array.from({ length: count }, () => {
      const known = random() > 0.15;
      const prompt = Math.floor(random() * 20_000);
      const completion = Math.floor(random() * 4000);
      const r = random();
      return {
        // A user may spend in several teams, and outside any.
        userId: pick(['alice', 'bob', 'Zoe', 'user-émile']),
        teamId: pick([null, ...TEAMS]),
        provider: 'openai',
        model: pick(['gpt-4o', 'gpt-4o-mini']),
        createdAt: new Date(
          r < 0.1 ? today - Math.floor(random() * 12) * DAY : now - Math.floor(random() * 12 * DAY),
        ),
        isSuccess: random() > 0.1,
        promptTokens: known ? prompt : null,
        completionTokens: known ? completion : null,
        totalTokens: known ? prompt + completion : null,
        costUsd: random() < 0.1 ? null : pick(['0.000000000001', '0.123456789012', '987654321.987654321987']),
      };
    });
}

/** The filters checked: each team, a team and a user, a user alone, and a team with no rows. */
const FILTERS: Filter[] = [
  { teamId: TEAM_A },
  { teamId: TEAM_B, userId: 'bob' },
  { userId: 'user-émile' },
  { teamId: '0193f1a2-7b3c-7d4e-8f50-0000000000ff' },
];
const FILTER_GROUPINGS: Group[][] = [
  [],
  ['team'],
  ['day'],
  ['user'],
  ['team', 'user', 'provider', 'model', 'day'],
];

describe('usage summary by team (PostgreSQL)', () => {
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
    const randomRows = rowMaker(20261207, now);
    for (let i = 0; i < 4; i++) await prisma.aIUsageLog.createMany({ data: randomRows(300).map(usageRow) });
  });
  afterAll(async () => {
    await client?.end();
    await running?.close();
    await testDb?.drop();
  });

  it('the rollup keeps the team: AIUsageDaily equals the raw rows summed per day, user, provider, model and team', async () => {
    expect((await client.query(ROLLUP_DIFF)).rows).toEqual([]);
    const teams = await client.query<{ teamId: string }>(
      `SELECT DISTINCT "teamId" FROM "AIUsageDaily" ORDER BY 1`,
    );
    expect(teams.rows.map((r) => r.teamId)).toEqual(['', ...TEAMS]);
  });

  it('groupBy=team, alone and with user, provider, model and day, equals the raw rows over whole and partial days', async () => {
    const checked = await expectSummariesExact(running.url, viaPg(client), ranges, {
      groupings: TEAM_GROUPINGS,
    });
    expect(checked).toBe(ranges.length * 16);
  });

  it('shows rows outside any team with teamId null, first, and the team rows add up to the totals', async () => {
    const [from, to] = ranges[1] as [Date, Date];
    const res = await summary(`?from=${from.toISOString()}&to=${to.toISOString()}&groupBy=team`);
    expect(res.status).toBe(200);
    expect(res.body.rows.map((r) => r.teamId)).toEqual([null, ...TEAMS]);
    const all = await summary(`?from=${from.toISOString()}&to=${to.toISOString()}`);
    expect(res.body.totals).toEqual(all.body.totals);
    const requests = res.body.rows.reduce((sum, r) => sum + Number(r.requests), 0);
    expect(requests).toBe(all.body.totals.requests);
  });

  it('teamId (and userId) keep only their rows: equal to the raw rows, and named in the answer', async () => {
    const query = viaPg(client);
    for (const filter of FILTERS) {
      await expectSummariesExact(running.url, query, ranges, { groupings: FILTER_GROUPINGS, filter });
    }
    const [from, to] = ranges[0] as [Date, Date];
    // Any case of a uuid is the same team; the answer names it as the database writes it.
    const upper = await summary(
      `?from=${from.toISOString()}&to=${to.toISOString()}&groupBy=team,day&teamId=${TEAM_A.toUpperCase()}&userId=alice`,
    );
    expect(upper.status).toBe(200);
    expect(upper.body).toMatchObject({ teamId: TEAM_A, userId: 'alice' });
    const expected = await reference(query, from, to, ['team', 'day'], { teamId: TEAM_A, userId: 'alice' });
    expect(expected.rows.length).toBeGreaterThan(0);
    expect({ rows: upper.body.rows, totals: upper.body.totals }).toEqual(expected);
    // Without filters the answer has no filter fields.
    expect(Object.keys((await summary(`?from=${from.toISOString()}&to=${to.toISOString()}`)).body)).toEqual([
      'from',
      'to',
      'groupBy',
      'rows',
      'totals',
    ]);
  });

  it('stays exact when rows change team, leave it, join one, and a team loses all its rows', async () => {
    const query = viaPg(client);
    // Asked once first, so day parts are cached; the moves below must give those days new stamps.
    await expectSummariesExact(running.url, query, ranges, { groupings: [['team', 'day'], ['team']] });
    await client.query(
      `UPDATE "AIUsageLog" SET "teamId" = CASE
         WHEN "teamId" IS NULL THEN $1::uuid
         WHEN "teamId" = $1::uuid THEN NULL
         ELSE $2::uuid END
       WHERE "userId" = 'bob'`,
      [TEAM_A, TEAM_B],
    );
    await client.query(`DELETE FROM "AIUsageLog" WHERE "teamId" = $1::uuid`, [TEAM_C]);
    expect((await client.query(ROLLUP_DIFF)).rows).toEqual([]);
    const left = await client.query(`SELECT COUNT(*)::int AS n FROM "AIUsageDaily" WHERE "teamId" = $1`, [
      TEAM_C,
    ]);
    expect(left.rows).toEqual([{ n: 0 }]);
    await expectSummariesExact(running.url, query, ranges, {
      groupings: [['team', 'day'], ['team'], ['team', 'user'], []],
    });
    for (const filter of [{ teamId: TEAM_A }, { teamId: TEAM_C }, { teamId: TEAM_B, userId: 'bob' }]) {
      await expectSummariesExact(running.url, query, ranges, { groupings: [['day'], []], filter });
    }
  });

  it('exports a teamId column in CSV, empty for no team', async () => {
    const [from, to] = ranges[0] as [Date, Date];
    const res = await fetch(
      `${running.url}/admin/usage/summary?from=${from.toISOString()}&to=${to.toISOString()}&groupBy=model,team&format=csv`,
      { headers: { authorization: `Bearer ${TEST_ADMIN_KEY}` } },
    );
    expect(res.status).toBe(200);
    const lines = (await res.text()).trim().split('\r\n');
    expect(lines[0]).toBe(
      'teamId,model,requests,failures,promptTokens,completionTokens,totalTokens,costUsd,unpricedRequests',
    );
    expect(lines[1]).toMatch(/^,gpt-4o,/);
    expect(lines.slice(1).map((l) => l.split(',')[0])).toContain(TEAM_A);
  });

  describe('bad parameters: 400 in OpenAI format', () => {
    const cases: [string, RegExp][] = [
      ['?teamId=team-a', /teamId: must be a team id \(a UUID\)/],
      ['?teamId=', /teamId: must be a team id/],
      ['?userId=', /userId:/],
      ['?groupBy=teams', /groupBy: unknown value "teams"; allowed: user, provider, model, day, team/],
    ];
    it.each(cases)('%s', async (query, message) => {
      expect(expectOpenAIError(await summary(query), 400)).toMatch(message);
    });
  });
});

describe('rows with a team written before the rollup knew teams (PostgreSQL)', () => {
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

  it('are moved to their team by the migration: the rollup stays exact, totals unchanged', async () => {
    // Usage rows have a team, the rollup none.
    const before = await migrationsBefore('_add_team_to_usage_daily');
    const db = await openDatabase({
      kind: 'postgres',
      url: testDb.url,
      connectionTimeoutMs: 5000,
      poolSize: 2,
    });
    let totalsBefore: Row[];
    try {
      await applyMigrations(db, { migrationsDir: before });
      const rows = rowMaker(77, now)(600).map(usageRow);
      await db.prisma.aIUsageLog.createMany({ data: rows });
      totalsBefore = (
        await client.query(
          `SELECT SUM("requests")::int AS n, SUM("costUsd")::text AS usd FROM "AIUsageDaily"`,
        )
      ).rows;
      const applied = await applyMigrations(db);
      expect(applied.some((name) => name.endsWith('_add_team_to_usage_daily'))).toBe(true);
    } finally {
      await db.close();
      await rm(before, { recursive: true, force: true });
    }
    expect((await client.query(ROLLUP_DIFF)).rows).toEqual([]);
    const totalsAfter = await client.query(
      `SELECT SUM("requests")::int AS n, SUM("costUsd")::text AS usd FROM "AIUsageDaily"`,
    );
    expect(totalsAfter.rows).toEqual(totalsBefore);
    expect((await client.query(`SELECT 1 FROM "AIUsageDaily" WHERE "requests" = 0`)).rows).toEqual([]);

    running = await startApp({ DATABASE_URL: testDb.url });
    const ranges = rangesAround(now).slice(0, 3);
    await expectSummariesExact(running.url, viaPg(client), ranges, {
      groupings: [['team'], ['team', 'user', 'provider', 'model', 'day'], []],
    });
    await expectSummariesExact(running.url, viaPg(client), ranges, {
      groupings: [['day'], []],
      filter: { teamId: TEAM_B },
    });
  });
});

describe('usage summary by team (embedded PGlite)', () => {
  let dir: string;
  let running: RunningApp;
  const now = Date.now();

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'aigw-team-summary-'));
    running = await startApp({ PGLITE_DIR: dir });
    const prisma = running.app.get(DatabaseService).prisma;
    await prisma.aIUsageLog.createMany({ data: rowMaker(5, now)(400).map(usageRow) });
  });
  afterAll(async () => {
    await running?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps the team in AIUsageDaily and answers groupBy=team and teamId as the raw rows say', async () => {
    const prisma = running.app.get(DatabaseService).prisma;
    const query: Query = (sql, params) => prisma.$queryRawUnsafe<Row[]>(sql, ...params);
    expect(await query(ROLLUP_DIFF, [])).toEqual([]);
    const ranges = rangesAround(now);
    await expectSummariesExact(running.url, query, ranges, {
      groupings: [['team'], ['team', 'day'], ['team', 'user', 'provider', 'model', 'day']],
    });
    await expectSummariesExact(running.url, query, ranges, {
      groupings: [[], ['day']],
      filter: { teamId: TEAM_C },
    });
  });
});
