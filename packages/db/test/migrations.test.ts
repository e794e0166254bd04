import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { openDatabase } from '../src/database.js';
import { applyMigrations } from '../src/migrations/migrator.js';
import { createTestDatabase, type TestDatabase } from '../src/testing/index.js';

const committed = async () =>
  (await readdir(new URL('../../../prisma/migrations/', import.meta.url), { withFileTypes: true }))
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();

describe('applyMigrations on a fresh PostgreSQL database', () => {
  let testDb: TestDatabase;
  beforeAll(async () => {
    testDb = await createTestDatabase();
  });
  afterAll(async () => {
    await testDb.drop();
  });

  it('applies every committed migration, records it like `prisma migrate deploy`, and is a no-op the second time', async () => {
    const db = await openDatabase({
      kind: 'postgres',
      url: testDb.url,
      connectionTimeoutMs: 5000,
      poolSize: 2,
    });
    try {
      expect(await applyMigrations(db)).toEqual(await committed());
      expect(await applyMigrations(db)).toEqual([]);
    } finally {
      await db.close();
    }

    const client = new pg.Client({ connectionString: testDb.url });
    await client.connect();
    try {
      const tables = await client.query<{ table_name: string }>(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1",
      );
      expect(tables.rows.map((r) => r.table_name)).toEqual([
        'AIResponse',
        'AIResponseItem',
        'AIUsageDaily',
        'AIUsageDailyStamp',
        'AIUsageLog',
        'AIUsageRetired',
        'ApiKey',
        'Team',
        'TeamMember',
        'UserBudget',
        '_prisma_migrations',
      ]);
      const applied = await client.query(
        'SELECT migration_name, finished_at, rolled_back_at, applied_steps_count, checksum FROM _prisma_migrations ORDER BY migration_name',
      );
      expect(applied.rows.map((r) => r.migration_name)).toEqual(await committed());
      for (const row of applied.rows) {
        expect(row.finished_at).toBeInstanceOf(Date);
        expect(row.rolled_back_at).toBeNull();
        expect(row.checksum).toMatch(/^[0-9a-f]{64}$/);
      }
      const cost = await client.query(
        "SELECT numeric_scale FROM information_schema.columns WHERE table_name = 'AIUsageLog' AND column_name = 'costUsd'",
      );
      expect(cost.rows[0].numeric_scale).toBeGreaterThanOrEqual(10);
      // The rollup's groups: its key, the team ('' for none: a key column is not null) and
      // the request type included.
      const key = await client.query<{ column_name: string; is_nullable: string }>(
        `SELECT k.column_name, c.is_nullable FROM information_schema.key_column_usage k
           JOIN information_schema.columns c USING (table_schema, table_name, column_name)
         WHERE k.table_name = 'AIUsageDaily' AND k.constraint_name = 'AIUsageDaily_pkey'
         ORDER BY k.ordinal_position`,
      );
      expect(key.rows).toEqual(
        ['day', 'userId', 'provider', 'model', 'teamId', 'requestType'].map((column_name) => ({
          column_name,
          is_nullable: 'NO',
        })),
      );
    } finally {
      await client.end();
    }
  });
});

describe('applyMigrations on a fresh PGlite folder', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'aigw-pglite-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('applies the migrations once, and finds nothing to do after a reopen', async () => {
    const first = await openDatabase({ kind: 'pglite', dataDir: dir });
    try {
      expect(await applyMigrations(first)).toEqual(await committed());
    } finally {
      await first.close();
    }
    const second = await openDatabase({ kind: 'pglite', dataDir: dir });
    try {
      expect(await applyMigrations(second)).toEqual([]);
      const rows = await second.prisma.$queryRaw<
        { n: bigint }[]
      >`SELECT count(*) AS n FROM "_prisma_migrations"`;
      expect(Number(rows[0]?.n)).toBe((await committed()).length);
    } finally {
      await second.close();
    }
  });

  it('reports a broken migration instead of recording it as applied', async () => {
    const migrationsDir = await mkdtemp(join(tmpdir(), 'aigw-broken-'));
    const { writeMigration, ensureLockfile } = await import('../src/migrations/migration-files.js');
    await ensureLockfile(migrationsDir);
    await writeMigration(migrationsDir, '20000101000000_broken', 'CREATE TABLE "x" ("id" NOT_A_TYPE);');
    const db = await openDatabase({ kind: 'pglite', dataDir: join(dir, 'broken') });
    try {
      await expect(applyMigrations(db, { migrationsDir })).rejects.toThrow(/Applying migrations failed/);
    } finally {
      await db.close();
      await rm(migrationsDir, { recursive: true, force: true });
    }
  });
});
