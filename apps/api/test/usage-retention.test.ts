import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openAIFake } from '@aigw/ai/testing';
import type { Prisma } from '@aigw/db';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Decimal } from 'decimal.js';
import { InvalidEnvironmentError, parseEnv } from '../src/config/env.schema.js';
import { DatabaseService } from '../src/database/database.service.js';
import { UsageRetentionService } from '../src/usage/retention/usage-retention.service.js';
import { adminCreate, adminFetch } from './support/admin-api.js';
import { type Gateway, startGateway, startReplica } from './support/gateway.js';
import { type RunningApp, startApp } from './support/start-app.js';
import type { Summary } from './support/summary-reference.js';
import { seededRandom, usageRow } from './support/usage-rows.js';

// USAGE_RETENTION_DAYS deletes old AIUsageLog rows in batches. AIUsageDaily keeps their
// sums (whole-day summaries stay as they were) and AIUsageRetired their cost (lifetime
// budgets stay as they were).

const DAY = 86_400_000;
const TEAM = '0193f1a2-0000-7000-8000-0000000000e1';
const today = () => Math.floor(Date.now() / DAY) * DAY;

/** Random rows for `apiKeyId` (or none) between `minDays` and `maxDays` days ago. */
function rowsBetween(
  seed: number,
  count: number,
  minDays: number,
  maxDays: number,
  apiKeyId: string | null,
): Prisma.AIUsageLogCreateManyInput[] {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const now = Date.now();
  return Array.from({ length: count }, () => {
    const prompt = Math.floor(random() * 5000);
    return {
      ...usageRow({
        userId: pick(['ann', 'bob', 'Zoé']),
        teamId: pick([null, TEAM]),
        provider: pick(['openai', 'anthropic']),
        model: pick(['m1', 'm2']),
        createdAt: new Date(now - minDays * DAY - Math.floor(random() * (maxDays - minDays) * DAY)),
        isSuccess: random() > 0.1,
        promptTokens: random() > 0.1 ? prompt : null,
        costUsd: random() < 0.15 ? null : pick(['0.000000000001', '0.000150000000', '0.0123456789', '0.05']),
      }),
      apiKeyId: random() < 0.2 ? null : apiKeyId,
    };
  });
}

/** Everything retention must leave as it was, as text. */
const DAILY_SQL = `SELECT to_char("day", 'YYYY-MM-DD') AS "day", "userId", "provider", "model", "teamId",
    "requests"::text, "failures"::text, "promptTokens"::text, "completionTokens"::text, "totalTokens"::text,
    "costUsd"::text, "unpricedRequests"::text
  FROM "AIUsageDaily" ORDER BY 1, 2, 3, 4, 5`;
const STAMPS_SQL = `SELECT to_char("day", 'YYYY-MM-DD') AS "day", "stamp"::text FROM "AIUsageDailyStamp" ORDER BY 1`;
/** The rows older than $1, summed per key, user and team as AIUsageRetired keeps them. */
const OLD_SUMS_SQL = `SELECT COALESCE("apiKeyId"::text, '') AS "apiKeyId", "userId", COALESCE("teamId"::text, '') AS "teamId",
    COUNT(*)::text AS "requests", COALESCE(SUM("costUsd"), 0)::numeric(30, 12)::text AS "costUsd",
    (COUNT(*) FILTER (WHERE "costUsd" IS NULL))::text AS "unpricedRequests",
    to_char(MAX("createdAt") AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS') AS "retiredThrough"
  FROM "AIUsageLog" WHERE "createdAt" < $1::timestamptz GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`;
const RETIRED_SQL = `SELECT "apiKeyId", "userId", "teamId", "requests"::text, "costUsd"::text,
    "unpricedRequests"::text, to_char("retiredThrough" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS') AS "retiredThrough"
  FROM "AIUsageRetired" ORDER BY 1, 2, 3`;

type Rows = Record<string, unknown>[];
const query = (app: RunningApp, sql: string, ...params: unknown[]) =>
  app.app.get(DatabaseService).prisma.$queryRawUnsafe<Rows>(sql, ...params);
const countOf = async (app: RunningApp, where: string, ...params: unknown[]) =>
  Number((await query(app, `SELECT COUNT(*)::int AS n FROM "AIUsageLog" WHERE ${where}`, ...params))[0]?.n);

/** The summary of whole UTC days from 120 days back to tomorrow, per `groupBy`. */
async function wholeDaySummary(url: string, groupBy: string): Promise<Summary> {
  const from = new Date(today() - 120 * DAY).toISOString();
  const to = new Date(today() + 2 * DAY).toISOString();
  const res = await adminFetch<Summary>(url, `/admin/usage/summary?from=${from}&to=${to}&groupBy=${groupBy}`);
  expect(res.status).toBe(200);
  return res.body;
}

interface UserBudget {
  budgetUsd: string;
  spentUsd: string;
  used: number | null;
  budgetedKeys: number;
  unbudgetedKeys: number;
}

/** `userId`'s budget in `GET /admin/usage/users` over the days `wholeDaySummary` reads. */
async function usersViewBudget(url: string, userId: string): Promise<UserBudget | null | undefined> {
  const from = new Date(today() - 120 * DAY).toISOString();
  const to = new Date(today() + 2 * DAY).toISOString();
  const res = await adminFetch<{ rows: { userId: string; budget: UserBudget | null }[] }>(
    url,
    `/admin/usage/users?from=${from}&to=${to}&limit=100`,
  );
  expect(res.status).toBe(200);
  return res.body.rows.find((r) => r.userId === userId)?.budget;
}

interface KeySpend {
  spend: { period: string; spentUsd: string; amountUsd: string }[];
}

async function chat(url: string, key: string, maxTokens: number): Promise<number> {
  const res = await fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      model: 'gpt-4o',
      max_tokens: maxTokens,
      messages: [{ role: 'user', content: 'Hi' }],
    }),
  });
  await res.arrayBuffer();
  return res.status;
}

describe('USAGE_RETENTION_DAYS on PostgreSQL', () => {
  let gateway: Gateway;
  let replica: RunningApp | undefined;
  let keyId: string;
  let key: string;
  /** A key without budget, for calls made during a run. */
  let freeKey: string;
  let oldCount: number;
  let keptCount: number;
  const before: Record<string, unknown> = {};

  beforeAll(async () => {
    gateway = await startGateway({ USAGE_RETENTION_DAYS: '40' });
    // The test runs retention itself; the schedule would race it.
    await gateway.running.app.get(UsageRetentionService).stop();
    // gpt-4o: a call with max_tokens 16000 may cost $0.16; one with 1000, about $0.01.
    gateway.openai.handler = openAIFake({
      usage: { prompt_tokens: 21, completion_tokens: 100, total_tokens: 121 },
    });
    ({ id: keyId, key } = await gateway.issueKey('ann'));
    ({ key: freeKey } = await gateway.issueKey('carl'));
    const prisma = gateway.running.app.get(DatabaseService).prisma;
    await prisma.aIUsageLog.createMany({ data: rowsBetween(1, 1234, 41, 110, keyId) });
    await prisma.aIUsageLog.createMany({ data: rowsBetween(2, 300, 0, 39, keyId) });
    oldCount = await countOf(gateway.running, `"createdAt" < now() - interval '40 days'`);
    keptCount = 1534 - oldCount;
    expect(oldCount).toBe(1234);
  });
  afterAll(async () => {
    await replica?.close();
    await gateway?.close();
  });

  it('deletes the rows older than N days in batches, keeps the newer ones, and leaves the rollup and whole-day summaries as they were', async () => {
    const running = gateway.running;
    const spentSql = `SELECT COALESCE(SUM("costUsd"), 0)::text AS s FROM "AIUsageLog" WHERE "apiKeyId" = $1::uuid`;
    const keySpent = (await query(running, spentSql, keyId))[0]?.s as string;
    // The key's whole life is its budget plus 5 cents: a $0.16 call no longer fits, a $0.01 one does.
    const budgetUsd = new Decimal(keySpent).plus('0.05').toFixed();
    expect(
      (await adminFetch(running.url, `/admin/keys/${keyId}`, { method: 'PATCH', json: { budgetUsd } }))
        .status,
    ).toBe(200);
    before.spend = (await adminFetch<KeySpend>(running.url, `/admin/keys/${keyId}`)).body.spend;
    before.keySpent = keySpent;
    before.usersBudget = await usersViewBudget(running.url, 'ann');
    expect(before.spend).toEqual([
      expect.objectContaining({ period: 'total', amountUsd: expect.any(String) }),
    ]);
    before.daily = await query(running, DAILY_SQL);
    before.stamps = await query(running, STAMPS_SQL);
    before.byDay = await wholeDaySummary(running.url, 'day');
    before.byAll = await wholeDaySummary(running.url, 'team,user,provider,model,day');
    const cutoff = new Date(Date.now() - 40 * DAY).toISOString();
    const oldSums = await query(running, OLD_SUMS_SQL, cutoff);

    const retention = running.app.get(UsageRetentionService);
    expect(await retention.runOnce({ batchSize: 100 })).toBe(oldCount);
    expect(await countOf(running, `"createdAt" < now() - interval '40 days'`)).toBe(0);
    expect(await countOf(running, 'true')).toBe(keptCount);
    expect(running.logs.text).toMatch(
      new RegExp(`deleted ${oldCount} usage rows older than .*\\(USAGE_RETENTION_DAYS=40\\)`),
    );
    // Their sums, per key, user and team, are in AIUsageRetired.
    expect(await query(running, RETIRED_SQL)).toEqual(oldSums);

    expect(await query(running, DAILY_SQL)).toEqual(before.daily);
    expect(await query(running, STAMPS_SQL)).toEqual(before.stamps);
    expect(await wholeDaySummary(running.url, 'day')).toEqual(before.byDay);
    expect(await wholeDaySummary(running.url, 'team,user,provider,model,day')).toEqual(before.byAll);
    // Another replica (no cached summary parts) reads the same from AIUsageDaily.
    replica = await startReplica(gateway, { USAGE_RETENTION_DAYS: '40' });
    await replica.app.get(UsageRetentionService).stop();
    expect(await wholeDaySummary(replica.url, 'day')).toEqual(before.byDay);
    expect(await wholeDaySummary(replica.url, 'team,user,provider,model,day')).toEqual(before.byAll);

    const metrics = await (await fetch(`${running.url}/metrics`)).text();
    expect(metrics).toMatch(new RegExp(`^aigw_usage_rows_retired_total ${oldCount}$`, 'm'));
    // Nothing more to do.
    expect(await retention.runOnce({ batchSize: 100 })).toBe(0);
  });

  it("leaves a key's total budget spend in GET /admin/usage/users as it was", async () => {
    // ann's one active key is the budgeted one; its spend there is the key's whole life.
    const spent = before.keySpent as string;
    expect(Number(spent)).toBeGreaterThan(1);
    expect(before.usersBudget).toEqual({
      budgetUsd: new Decimal(spent).plus('0.05').toFixed(12),
      spentUsd: new Decimal(spent).toFixed(12),
      used: expect.any(Number),
      budgetedKeys: 1,
      unbudgetedKeys: 0,
    });
    // After retention, the retired rows' cost (AIUsageRetired) still counts, on either replica.
    expect(await usersViewBudget(gateway.running.url, 'ann')).toEqual(before.usersBudget);
    expect(await usersViewBudget(replica?.url as string, 'ann')).toEqual(before.usersBudget);
  });

  it("leaves a key's total budget spend as it was, and the budget enforced", async () => {
    // The replica's budget accounts are seeded now, after the key's old rows were deleted.
    const after = await adminFetch<KeySpend>(replica?.url as string, `/admin/keys/${keyId}`);
    expect(after.body.spend).toEqual(before.spend);
    expect(await chat(replica?.url as string, key, 16_000)).toBe(402);
    expect(await chat(replica?.url as string, key, 1000)).toBe(200);
  });

  it('never blocks concurrent inserts: every one succeeds during a run, and is counted', async () => {
    const running = gateway.running;
    const prisma = running.app.get(DatabaseService).prisma;
    await prisma.aIUsageLog.createMany({ data: rowsBetween(3, 2000, 45, 60, keyId) });
    await gateway.flushUsage();
    const dailyBefore = await query(running, DAILY_SQL);
    const rowsBefore = await countOf(running, 'true');
    // New rows today (in their own groups) and real calls, while 40 batches of 50 are deleted.
    const today = new Date(Date.now() - 60_000);
    const fresh = (i: number) =>
      Array.from({ length: 25 }, (_, j) => ({
        ...usageRow({
          userId: 'live',
          provider: 'openai',
          model: 'm-live',
          createdAt: today,
          costUsd: '0.000000000001',
        }),
        requestId: `live-${i}-${j}`,
      }));
    const [retired, inserted, calls] = await Promise.all([
      running.app.get(UsageRetentionService).runOnce({ batchSize: 50 }),
      Promise.all(Array.from({ length: 40 }, (_, i) => prisma.aIUsageLog.createMany({ data: fresh(i) }))),
      Promise.all(Array.from({ length: 10 }, () => chat(running.url, freeKey, 1000))),
    ]);
    expect(retired).toBe(2000);
    expect(inserted.map((r) => r.count)).toEqual(Array(40).fill(25));
    expect(calls).toEqual(Array(10).fill(200));
    await gateway.flushUsage();
    expect(await countOf(running, 'true')).toBe(rowsBefore - 2000 + 40 * 25 + 10);
    const live = await query(
      running,
      `SELECT "requests"::text, "costUsd"::text FROM "AIUsageDaily" WHERE "userId" = 'live'`,
    );
    expect(live).toEqual([{ requests: '1000', costUsd: '0.000000001000' }]);
    // The old days' rollup is as it was; today's moved by the new rows and calls only.
    const day = new Date(today).toISOString().slice(0, 10);
    const notToday = (rows: Rows) => rows.filter((r) => r.day !== day);
    expect(notToday(await query(running, DAILY_SQL))).toEqual(notToday(dailyBefore));
  });

  it('lets replicas run it at once: each row is deleted and counted once', async () => {
    const prisma = gateway.running.app.get(DatabaseService).prisma;
    await prisma.aIUsageLog.createMany({ data: rowsBetween(4, 1500, 50, 70, keyId) });
    const expected = [
      ...(await query(gateway.running, RETIRED_SQL)),
      ...(await query(gateway.running, OLD_SUMS_SQL, new Date(Date.now() - 40 * DAY).toISOString())),
    ];
    const a = gateway.running.app.get(UsageRetentionService);
    const b = (replica as RunningApp).app.get(UsageRetentionService);
    const both = await Promise.all([a.runOnce({ batchSize: 40 }), b.runOnce({ batchSize: 40 })]);
    // One that found the other's batch stopped: a later run finishes.
    const rest = await a.runOnce({ batchSize: 40 });
    expect(both[0] + both[1] + rest).toBe(1500);
    expect(await countOf(gateway.running, `"createdAt" < now() - interval '40 days'`)).toBe(0);
    // AIUsageRetired: the earlier sums plus these rows', per key, user and team.
    const merged = new Map<string, [number, string, number]>();
    for (const r of expected) {
      const id = `${r.apiKeyId}|${r.userId}|${r.teamId}`;
      const [requests, cost, unpriced] = merged.get(id) ?? [0, '0', 0];
      merged.set(id, [
        requests + Number(r.requests),
        new Decimal(cost).plus(r.costUsd as string).toFixed(12),
        unpriced + Number(r.unpricedRequests),
      ]);
    }
    const retired = new Map(
      (await query(gateway.running, RETIRED_SQL)).map((r) => [
        `${r.apiKeyId}|${r.userId}|${r.teamId}`,
        [Number(r.requests), r.costUsd, Number(r.unpricedRequests)],
      ]),
    );
    expect(retired).toEqual(merged);
  });

  it('refuses a summary edge mid-day on a day whose rows were deleted; whole days there are summed', async () => {
    const day = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10);
    const midDay = await adminFetch<{ error: { message: string } }>(
      gateway.url,
      `/admin/usage/summary?from=${day(60)}T06:00:00Z&to=${day(50)}`,
    );
    expect(midDay.status).toBe(400);
    expect(midDay.body.error.message).toMatch(/^from: .*USAGE_RETENTION_DAYS=40.*only whole days/);
    const whole = await adminFetch(gateway.url, `/admin/usage/summary?from=${day(60)}&to=${day(50)}`);
    expect(whole.status).toBe(200);
    // Mid-day within the kept range is read from the rows, as ever.
    const recent = await adminFetch(gateway.url, `/admin/usage/summary?from=${day(3)}T06:00:00Z`);
    expect(recent.status).toBe(200);
  });

  it('deletes nothing when USAGE_RETENTION_DAYS is unset (or empty)', async () => {
    const prisma = gateway.running.app.get(DatabaseService).prisma;
    await prisma.aIUsageLog.createMany({ data: rowsBetween(5, 50, 100, 200, keyId) });
    const rows = await countOf(gateway.running, 'true');
    for (const value of [undefined, '']) {
      const unset = await startReplica(gateway, {
        USAGE_RETENTION_DAYS: value as string,
      });
      try {
        expect(await unset.app.get(UsageRetentionService).runOnce({ batchSize: 10 })).toBe(0);
      } finally {
        await unset.close();
      }
    }
    expect(await countOf(gateway.running, 'true')).toBe(rows);
  });
});

describe('USAGE_RETENTION_DAYS on embedded PGlite', () => {
  let dir: string;
  let running: RunningApp;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'aigw-retention-'));
    running = await startApp({ PGLITE_DIR: dir, USAGE_RETENTION_DAYS: '35' });
    await running.app.get(UsageRetentionService).stop();
  });
  afterAll(async () => {
    await running?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('deletes old rows in batches, keeps the rollup, and keeps the total budget spend', async () => {
    const created = await adminCreate<{ id: string }>(running.url, '/admin/keys', {
      userId: 'ann',
      budgetUsd: '1000',
    });
    const prisma = running.app.get(DatabaseService).prisma;
    await prisma.aIUsageLog.createMany({ data: rowsBetween(6, 120, 36, 80, created.id) });
    await prisma.aIUsageLog.createMany({ data: rowsBetween(7, 30, 0, 34, created.id) });
    const oldCount = await countOf(running, `"createdAt" < now() - interval '35 days'`);
    expect(oldCount).toBe(120);
    const daily = await query(running, DAILY_SQL);
    const stamps = await query(running, STAMPS_SQL);
    const byDay = await wholeDaySummary(running.url, 'day');
    const oldSums = await query(running, OLD_SUMS_SQL, new Date(Date.now() - 35 * DAY).toISOString());
    const spent = (
      await query(
        running,
        `SELECT COALESCE(SUM("costUsd"), 0)::text AS s FROM "AIUsageLog" WHERE "apiKeyId" = $1::uuid`,
        created.id,
      )
    )[0]?.s as string;

    expect(await running.app.get(UsageRetentionService).runOnce({ batchSize: 7 })).toBe(120);
    expect(await countOf(running, 'true')).toBe(30);
    expect(await query(running, RETIRED_SQL)).toEqual(oldSums);
    expect(await query(running, DAILY_SQL)).toEqual(daily);
    expect(await query(running, STAMPS_SQL)).toEqual(stamps);
    expect(await wholeDaySummary(running.url, 'day')).toEqual(byDay);
    // The key's account is seeded now, from the rows left and the retired sums.
    const after = await adminFetch<KeySpend>(running.url, `/admin/keys/${created.id}`);
    expect(after.body.spend).toEqual([expect.objectContaining({ period: 'total' })]);
    expect(new Decimal(after.body.spend[0]?.spentUsd ?? 'NaN').eq(spent)).toBe(true);
    expect(Number(spent)).toBeGreaterThan(0.5);
    // An ordinary delete still changes the rollup: the newer days' rows leave it, the old days' stay.
    await prisma.aIUsageLog.deleteMany({});
    // The old rows are 36 to 80 days old: on the day 36 days back (from its midnight up to
    // this time of day) and before; the newer ones, at most 34 days old, on later days.
    const oldDay = new Date(today() - 36 * DAY).toISOString().slice(0, 10);
    const old = (rows: Rows) => rows.filter((r) => (r.day as string) <= oldDay);
    expect(old(daily).length).toBeGreaterThan(10);
    expect(await query(running, DAILY_SQL)).toEqual(old(daily));
  });
});

describe('USAGE_RETENTION_DAYS configuration', () => {
  it('takes a whole number of days from 32; unset or empty keeps everything', () => {
    expect(parseEnv({}).USAGE_RETENTION_DAYS).toBeUndefined();
    expect(parseEnv({ USAGE_RETENTION_DAYS: '' }).USAGE_RETENTION_DAYS).toBeUndefined();
    expect(parseEnv({ USAGE_RETENTION_DAYS: '32' }).USAGE_RETENTION_DAYS).toBe(32);
    expect(parseEnv({ USAGE_RETENTION_DAYS: '400' }).USAGE_RETENTION_DAYS).toBe(400);
  });

  it.each(['7', '31', '0', '-5'])('refuses USAGE_RETENTION_DAYS=%s, saying why', (value) => {
    const attempt = () => parseEnv({ USAGE_RETENTION_DAYS: value });
    expect(attempt).toThrow(InvalidEnvironmentError);
    expect(attempt).toThrow(
      new RegExp(
        `USAGE_RETENTION_DAYS: must be at least 32 days \\(or unset, to keep every row\\): budgets' current daily, weekly and monthly periods are counted from the usage rows.* \\(got "${value}"\\)`,
      ),
    );
  });

  it.each(['1.5', 'forty', '99999'])('refuses USAGE_RETENTION_DAYS=%s', (value) => {
    expect(() => parseEnv({ USAGE_RETENTION_DAYS: value })).toThrow(/USAGE_RETENTION_DAYS: must be/);
  });

  it('stops the service from starting with USAGE_RETENTION_DAYS=7', async () => {
    await expect(
      startApp({ USAGE_RETENTION_DAYS: '7', PGLITE_DIR: join(tmpdir(), `aigw-never-${randomUUID()}`) }),
    ).rejects.toThrow(/USAGE_RETENTION_DAYS: must be at least 32 days/);
  });
});
