import { randomUUID } from 'node:crypto';
import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { type Database, openDatabase } from '../src/database.js';
import type { Prisma } from '../src/generated/prisma/client.js';
import { ensureLockfile, writeMigration } from '../src/migrations/migration-files.js';
import { applyMigrations } from '../src/migrations/migrator.js';
import { prismaDir } from '../src/paths.js';
import { createTestDatabase, type TestDatabase } from '../src/testing/index.js';

// AIUsageDaily is kept by triggers on AIUsageLog (migration add_usage_daily): whatever
// writes, updates or deletes usage rows, it must equal the sums of the rows, exactly.

/** The rollup as text, and the same sums computed from the raw rows: they must be equal. */
const DAILY = `
  SELECT to_char("day", 'YYYY-MM-DD') AS day, "userId", "provider", "model", "teamId", "requestType",
    "requests"::text, "failures"::text, "promptTokens"::text, "completionTokens"::text,
    "totalTokens"::text, "costUsd"::text, "unpricedRequests"::text
  FROM "AIUsageDaily" ORDER BY 1, 2, 3, 4, 5, 6`;
const FROM_LOG = `
  SELECT to_char(("createdAt" AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD') AS day, "userId", "provider",
    "model", COALESCE("teamId"::text, '') AS "teamId", "requestType",
    COUNT(*)::text AS "requests", (COUNT(*) FILTER (WHERE NOT "isSuccess"))::text AS "failures",
    COALESCE(SUM("promptTokens"), 0)::text AS "promptTokens",
    COALESCE(SUM("completionTokens"), 0)::text AS "completionTokens",
    COALESCE(SUM("totalTokens"), 0)::text AS "totalTokens",
    COALESCE(SUM("costUsd"), 0)::numeric(30, 12)::text AS "costUsd",
    (COUNT(*) FILTER (WHERE "costUsd" IS NULL))::text AS "unpricedRequests"
  FROM "AIUsageLog" GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6`;

/** Each day's AIUsageDaily rows (as text) and its stamp, as they are now. */
interface DayStates {
  rows: Map<string, string>;
  stamps: Map<string, string>;
}

async function dayStates(db: Database): Promise<DayStates> {
  const daily = await db.prisma.$queryRawUnsafe<Record<string, string>[]>(DAILY);
  const rows = new Map<string, string>();
  for (const row of daily)
    rows.set(row.day as string, `${rows.get(row.day as string) ?? ''}${JSON.stringify(row)}`);
  const stamped = await db.prisma.$queryRawUnsafe<{ day: string; stamp: string }[]>(
    `SELECT to_char("day", 'YYYY-MM-DD') AS day, "stamp"::text AS stamp FROM "AIUsageDailyStamp"`,
  );
  return { rows, stamps: new Map(stamped.map((s) => [s.day, s.stamp])) };
}

/**
 * The rollup equals the raw rows, and every day's stamp tells whether it changed since
 * `before`: a day with rows has a stamp, and a day whose rows changed has a new one.
 */
async function expectRollupExact(db: Database, atLeast = 1, before?: DayStates): Promise<DayStates> {
  const daily = await db.prisma.$queryRawUnsafe<Record<string, string>[]>(DAILY);
  const fromLog = await db.prisma.$queryRawUnsafe<Record<string, string>[]>(FROM_LOG);
  expect(daily).toEqual(fromLog);
  expect(daily.length).toBeGreaterThanOrEqual(atLeast);
  const now = await dayStates(db);
  for (const day of now.rows.keys()) expect([day, now.stamps.has(day)]).toEqual([day, true]);
  if (before) {
    const days = new Set([...before.rows.keys(), ...now.rows.keys()]);
    const changed = [...days].filter((day) => before.rows.get(day) !== now.rows.get(day));
    for (const day of changed) expect([day, now.stamps.get(day)]).not.toEqual([day, before.stamps.get(day)]);
  }
  return now;
}

/** Deterministic pseudo-random usage rows over a few days, with nulls and failures. */
function usageRows(count: number, seed: number): Prisma.AIUsageLogCreateManyInput[] {
  let state = seed >>> 0;
  const random = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)] as T;
  return Array.from({ length: count }, () => {
    const known = random() > 0.15;
    const prompt = Math.floor(random() * 9000);
    const completion = Math.floor(random() * 3000);
    return {
      requestId: randomUUID(),
      userId: pick(['ann', 'Ben', 'chloé']),
      provider: pick(['openai', 'anthropic']),
      model: pick(['m1', 'm2']),
      requestedModel: 'x',
      // Chat mostly; media and embeddings are groups of their own.
      requestType: random() < 0.6 ? 'chat' : pick(['embedding', 'image', 'transcription', 'speech']),
      usageSource: known ? 'reported' : 'unknown',
      promptTokens: known ? prompt : null,
      completionTokens: known ? completion : null,
      totalTokens: known ? prompt + completion : null,
      costUsd: random() < 0.2 ? null : pick(['0.000000000001', '0.123456789012', '987654321.5']),
      isSuccess: random() > 0.1,
      latencyMs: 5,
      // Four UTC days, right up to their midnights.
      createdAt: new Date(Date.UTC(2025, 2, 1) + Math.floor(random() * 4 * 86_400_000)),
    };
  });
}

/** Every way rows reach or leave AIUsageLog, each followed by the exactness check. */
async function exerciseTriggers(db: Database): Promise<void> {
  const rows = usageRows(300, 7);
  let states = await dayStates(db);
  // The usage writer's way: createMany … skipDuplicates (INSERT … ON CONFLICT DO NOTHING).
  await db.prisma.aIUsageLog.createMany({ data: rows.slice(0, 200) });
  states = await expectRollupExact(db, 1, states);
  // A replayed batch: the duplicates are skipped, and must not be counted again.
  const { count } = await db.prisma.aIUsageLog.createMany({ data: rows, skipDuplicates: true });
  expect(count).toBe(100);
  states = await expectRollupExact(db, 1, states);
  // A late row on one day: that day's stamp changes, no other.
  await db.prisma.aIUsageLog.createMany({
    data: [
      {
        ...(rows[0] as Prisma.AIUsageLogCreateManyInput),
        requestId: randomUUID(),
        createdAt: new Date(Date.UTC(2025, 2, 2, 23, 59, 59)),
      },
    ],
  });
  const late = await expectRollupExact(db, 1, states);
  expect([...late.stamps].filter(([day, stamp]) => states.stamps.get(day) !== stamp)).toEqual([
    ['2025-03-02', expect.any(String)],
  ]);
  states = late;
  // Plain SQL, many rows in one statement.
  await db.prisma.$executeRawUnsafe(`
    INSERT INTO "AIUsageLog" ("id", "requestId", "userId", "provider", "model", "requestedModel",
      "requestType", "usageSource", "isSuccess", "latencyMs", "promptTokens", "costUsd", "createdAt")
    SELECT gen_random_uuid(), 'sql-' || i, 'ann', 'openai', 'm' || (i % 3), 'x', 'chat', 'reported',
      i % 7 <> 0, 5, i, CASE WHEN i % 5 = 0 THEN NULL ELSE i * 0.000000000001 END,
      timestamptz '2025-03-01 00:00:00Z' + i * interval '97 seconds'
    FROM generate_series(1, 500) AS i`);
  states = await expectRollupExact(db, 1, states);
  // A correction that moves rows to other days and changes their cost, then deletions
  // that empty whole groups: those leave AIUsageDaily.
  await db.prisma.$executeRawUnsafe(`
    UPDATE "AIUsageLog" SET "createdAt" = "createdAt" + interval '1 day', "costUsd" = 0.5
    WHERE "userId" = 'Ben'`);
  states = await expectRollupExact(db, 1, states);
  // A correction of the request type moves rows between type groups of the same day.
  await db.prisma.$executeRawUnsafe(`
    UPDATE "AIUsageLog" SET "requestType" = CASE "requestType" WHEN 'chat' THEN 'image' ELSE 'chat' END
    WHERE "userId" = 'ann' AND "model" = 'm2'`);
  states = await expectRollupExact(db, 1, states);
  await db.prisma.$executeRawUnsafe(`DELETE FROM "AIUsageLog" WHERE "userId" = 'chloé' OR "model" = 'm0'`);
  await expectRollupExact(db, 1, states);
  const gone = await db.prisma.$queryRawUnsafe<{ n: bigint }[]>(
    `SELECT COUNT(*) AS n FROM "AIUsageDaily" WHERE "userId" = 'chloé' OR "model" = 'm0'`,
  );
  expect(Number(gone[0]?.n)).toBe(0);
  await db.prisma.$executeRawUnsafe('TRUNCATE "AIUsageLog"');
  await expectRollupExact(db, 0);
  expect((await dayStates(db)).stamps.size).toBe(0);
}

/** A copy of prisma/migrations with only the first migration: a database from before the rollup. */
async function migrationsBeforeRollup(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'aigw-before-rollup-'));
  await ensureLockfile(dir);
  const [first] = (await readdir(join(prismaDir(), 'migrations'), { withFileTypes: true }))
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  await cp(join(prismaDir(), 'migrations', first as string), join(dir, first as string), { recursive: true });
  return dir;
}

/** Rows written before the rollup migration are counted by its backfill. */
async function backfill(db: Database): Promise<void> {
  const before = await migrationsBeforeRollup();
  try {
    expect(await applyMigrations(db, { migrationsDir: before })).toHaveLength(1);
    await db.prisma.aIUsageLog.createMany({ data: usageRows(150, 3) });
    expect((await applyMigrations(db)).some((name) => name.endsWith('_add_usage_daily'))).toBe(true);
    await expectRollupExact(db);
  } finally {
    await rm(before, { recursive: true, force: true });
  }
}

describe('AIUsageDaily on PostgreSQL', () => {
  const dbs: TestDatabase[] = [];
  const open = async () => {
    const testDb = await createTestDatabase();
    dbs.push(testDb);
    const db = await openDatabase({
      kind: 'postgres',
      url: testDb.url,
      connectionTimeoutMs: 5000,
      poolSize: 4,
    });
    return { testDb, db };
  };
  afterAll(async () => {
    await Promise.all(dbs.map((d) => d.drop()));
  });

  it('equals the sums of the rows after inserts, replays, raw SQL, updates, deletes and truncate', async () => {
    const { db } = await open();
    try {
      await applyMigrations(db);
      await exerciseTriggers(db);
    } finally {
      await db.close();
    }
  });

  it('counts the rows that existed before the migration (backfill)', async () => {
    const { db } = await open();
    try {
      await backfill(db);
    } finally {
      await db.close();
    }
  });

  it('loses no count when concurrent transactions write the same groups, in any order', async () => {
    const { testDb, db } = await open();
    await applyMigrations(db);
    await db.close();
    const clients = Array.from({ length: 4 }, () => new pg.Client({ connectionString: testDb.url }));
    await Promise.all(clients.map((c) => c.connect()));
    const insert = (c: pg.Client, tag: string, users: string[]) =>
      c.query(
        `INSERT INTO "AIUsageLog" ("id", "requestId", "userId", "provider", "model", "requestedModel",
           "requestType", "usageSource", "isSuccess", "latencyMs", "promptTokens", "costUsd", "createdAt")
         SELECT gen_random_uuid(), $1 || '-' || u || '-' || i, u, 'openai', 'm', 'x', 'chat', 'reported',
           true, 5, 10, 0.000000000003, timestamptz '2025-03-01 12:00:00Z'
         FROM unnest($2::text[]) AS u, generate_series(1, 25) AS i`,
        [tag, users],
      );
    try {
      const [a, b, c, d] = clients as [pg.Client, pg.Client, pg.Client, pg.Client];
      // Two open transactions on the same new group: b waits for a's row, then adds to it.
      await a.query('BEGIN');
      await b.query('BEGIN');
      await insert(a, 'a', ['x']);
      const bDone = insert(b, 'b', ['x']);
      await new Promise((resolve) => setTimeout(resolve, 200));
      await a.query('COMMIT');
      await bDone;
      await b.query('COMMIT');
      // Many statements at once, naming overlapping groups in opposite orders: no deadlock.
      const users = ['p', 'q', 'r', 's', 't'];
      await Promise.all(
        Array.from({ length: 24 }, (_, i) =>
          insert([a, b, c, d][i % 4] as pg.Client, `n${i}`, i % 2 ? users : [...users].reverse()),
        ),
      );
      const reader = await openDatabase({
        kind: 'postgres',
        url: testDb.url,
        connectionTimeoutMs: 5000,
        poolSize: 1,
      });
      try {
        await expectRollupExact(reader);
        const x = await reader.prisma.$queryRawUnsafe<{ requests: bigint; cost: string }[]>(
          `SELECT "requests", "costUsd"::text AS cost FROM "AIUsageDaily" WHERE "userId" = 'x'`,
        );
        expect(x).toEqual([{ requests: 50n, cost: '0.000000000150' }]);
      } finally {
        await reader.close();
      }
    } finally {
      await Promise.all(clients.map((c) => c.end()));
    }
  });

  it('applies a migration whole: a ; inside a function body works, and a failure leaves nothing behind', async () => {
    const { testDb, db } = await open();
    const dir = await mkdtemp(join(tmpdir(), 'aigw-script-'));
    try {
      await ensureLockfile(dir);
      await writeMigration(
        dir,
        '20000101000000_function',
        `CREATE FUNCTION two() RETURNS int LANGUAGE plpgsql AS $$ DECLARE x int := 1; BEGIN x := x + 1; RETURN x; END $$;
         CREATE TABLE "semi" ("v" TEXT DEFAULT 'a;b');`,
      );
      expect(await applyMigrations(db, { migrationsDir: dir })).toEqual(['20000101000000_function']);
      await writeMigration(
        dir,
        '20000102000000_broken',
        'CREATE TABLE "half" ("id" INT); CREATE TABLE "x" ("id" NOT_A_TYPE);',
      );
      await expect(applyMigrations(db, { migrationsDir: dir })).rejects.toThrow(/not_a_type/i);
    } finally {
      await db.close();
      await rm(dir, { recursive: true, force: true });
    }
    const client = new pg.Client({ connectionString: testDb.url });
    await client.connect();
    try {
      expect((await client.query('SELECT two() AS v')).rows).toEqual([{ v: 2 }]);
      const half = await client.query(`SELECT to_regclass('"half"') AS t`);
      expect(half.rows).toEqual([{ t: null }]);
    } finally {
      await client.end();
    }
  });
});

describe('AIUsageDaily on embedded PGlite', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'aigw-daily-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('equals the sums of the rows after inserts, replays, raw SQL, updates, deletes and truncate', async () => {
    const db = await openDatabase({ kind: 'pglite', dataDir: join(dir, 'triggers') });
    try {
      await applyMigrations(db);
      await exerciseTriggers(db);
    } finally {
      await db.close();
    }
  });

  it('counts the rows that existed before the migration (backfill)', async () => {
    const db = await openDatabase({ kind: 'pglite', dataDir: join(dir, 'backfill') });
    try {
      await backfill(db);
    } finally {
      await db.close();
    }
  });
});
