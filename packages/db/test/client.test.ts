import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Database, openDatabase } from '../src/database.js';
import { databaseConfigFromEnv, describeDatabase } from '../src/database-config.js';
import { Prisma } from '../src/generated/prisma/client.js';
import { applyMigrations } from '../src/migrations/migrator.js';
import { createTestDatabase, type TestDatabase } from '../src/testing/index.js';

const row = (requestId: string) => ({
  requestId,
  userId: 'u1',
  provider: 'openai',
  model: 'gpt-4o-mini',
  requestedModel: 'gpt-4o-mini',
  requestType: 'chat',
  promptTokens: 1,
  completionTokens: null,
  usageSource: 'reported',
  // One input token of a $0.02/1M model: must not round to zero.
  costUsd: new Prisma.Decimal('0.00000002'),
  isSuccess: true,
  latencyMs: 12,
});

async function roundTrip(db: Database) {
  await applyMigrations(db);
  const created = await db.prisma.aIUsageLog.create({ data: row('r1') });
  expect(created.id).toMatch(/^[0-9a-f-]{36}$/);
  const read = await db.prisma.aIUsageLog.findUniqueOrThrow({
    where: { requestId_attempt: { requestId: 'r1', attempt: 1 } },
  });
  expect(read.costUsd?.toFixed(12)).toBe('0.000000020000');
  expect(read.completionTokens).toBeNull();
  expect(read.metadata).toEqual({});
  // (requestId, attempt) is unique: a retried write cannot count twice.
  await expect(db.prisma.aIUsageLog.create({ data: row('r1') })).rejects.toThrow(/Unique constraint/);
}

describe('the Prisma client', () => {
  let testDb: TestDatabase;
  let pgliteDir: string;
  beforeAll(async () => {
    testDb = await createTestDatabase();
    pgliteDir = await mkdtemp(join(tmpdir(), 'aigw-client-'));
  });
  afterAll(async () => {
    await testDb.drop();
    await rm(pgliteDir, { recursive: true, force: true });
  });

  it('keeps 1e-8 USD exactly on PostgreSQL, with null tokens kept null', async () => {
    const db = await openDatabase({
      kind: 'postgres',
      url: testDb.url,
      connectionTimeoutMs: 5000,
      poolSize: 2,
    });
    try {
      await roundTrip(db);
    } finally {
      await db.close();
    }
  });

  it('does the same on embedded PGlite', async () => {
    const db = await openDatabase({ kind: 'pglite', dataDir: pgliteDir });
    try {
      await roundTrip(db);
    } finally {
      await db.close();
    }
  });
});

describe('databaseConfigFromEnv', () => {
  it('uses PostgreSQL when DATABASE_URL is set, and never shows its password', () => {
    const config = databaseConfigFromEnv({ DATABASE_URL: 'postgresql://app:s3cret@db.internal:6543/gw' });
    expect(config).toMatchObject({ kind: 'postgres', url: 'postgresql://app:s3cret@db.internal:6543/gw' });
    expect(describeDatabase(config)).toBe('PostgreSQL at db.internal:6543/gw');
  });

  it('falls back to PGlite in ./.data, or in PGLITE_DIR', () => {
    expect(databaseConfigFromEnv({})).toEqual({ kind: 'pglite', dataDir: join(process.cwd(), '.data') });
    expect(databaseConfigFromEnv({ PGLITE_DIR: '/var/lib/gw' })).toEqual({
      kind: 'pglite',
      dataDir: '/var/lib/gw',
    });
  });
});
