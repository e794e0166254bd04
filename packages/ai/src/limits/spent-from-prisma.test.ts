import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyMigrations, type Database, openDatabase } from '@aigw/db';
import { createTestDatabase, type TestDatabase } from '@aigw/db/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { usdToPico } from './pico-usd.js';
import { spentFromPrisma } from './spent-from-prisma.js';

const KEY = '0193f1a2-0000-7000-8000-0000000000c1';
const OTHER_KEY = '0193f1a2-0000-7000-8000-0000000000c2';
const TEAM = '0193f1a2-0000-7000-8000-0000000000d1';
const DAY = 86_400_000;
const NOW = Date.parse('2031-03-15T12:00:00Z');

async function seed(db: Database): Promise<void> {
  const row = (apiKeyId: string | null, teamId: string | null, costUsd: string | null, daysAgo: number) => ({
    requestId: randomUUID(),
    userId: 'ann',
    apiKeyId,
    teamId,
    provider: 'openai',
    model: 'm',
    requestedModel: 'm',
    requestType: 'chat',
    usageSource: 'reported',
    isSuccess: true,
    latencyMs: 5,
    costUsd,
    createdAt: new Date(NOW - daysAgo * DAY),
  });
  await db.prisma.aIUsageLog.createMany({
    data: [
      row(KEY, TEAM, '0.100000000001', 1),
      row(KEY, TEAM, '0.2', 40),
      row(KEY, null, null, 2),
      row(OTHER_KEY, null, null, 3),
      row(null, TEAM, '1', 5),
    ],
  });
  // What retention took out earlier: the key's rows in and outside the team, a keyless row.
  await db.prisma.aIUsageRetired.createMany({
    data: [
      {
        apiKeyId: KEY,
        userId: 'ann',
        teamId: TEAM,
        requests: 3n,
        costUsd: '5.000000000002',
        unpricedRequests: 0n,
        retiredThrough: new Date(NOW - 60 * DAY),
      },
      {
        apiKeyId: KEY,
        userId: 'ann',
        teamId: '',
        requests: 1n,
        costUsd: '0',
        unpricedRequests: 1n,
        retiredThrough: new Date(NOW - 70 * DAY),
      },
      {
        apiKeyId: '',
        userId: 'ann',
        teamId: '',
        requests: 2n,
        costUsd: '7',
        unpricedRequests: 0n,
        retiredThrough: new Date(NOW - 80 * DAY),
      },
    ],
  });
}

/** The lifetime sums add the retired cost; a period's sums are the rows since its start. */
async function expectSpends(db: Database): Promise<void> {
  const spent = spentFromPrisma(db.prisma);
  const pico = async (...args: Parameters<typeof spent>) => usdToPico(await spent(...args));
  expect(await pico('key', KEY, 0)).toBe(usdToPico('5.300000000003'));
  expect(await pico('key', KEY, NOW - 10 * DAY)).toBe(usdToPico('0.100000000001'));
  expect(await pico('team', TEAM, 0)).toBe(usdToPico('6.300000000003'));
  expect(await pico('team', TEAM, NOW - 10 * DAY)).toBe(usdToPico('1.100000000001'));
  expect(await pico('user', 'ann', 0)).toBe(usdToPico('13.300000000003'));
  expect(await pico('user', 'ann', NOW - 30 * DAY)).toBe(usdToPico('1.100000000001'));
  // Unpriced rows add nothing; no rows at all, or an id that is no UUID: nothing spent.
  expect(await spent('key', OTHER_KEY, 0)).toMatch(/^0(\.0*)?$/);
  expect(await spent('key', randomUUID(), 0)).toMatch(/^0(\.0*)?$/);
  expect(await spent('key', 'not-a-uuid', 0)).toBe('0');
  expect(await spent('user', 'nobody', 0)).toMatch(/^0(\.0*)?$/);
}

describe('spentFromPrisma with retired usage rows', () => {
  let testDb: TestDatabase;
  let dir: string;
  beforeAll(async () => {
    testDb = await createTestDatabase();
    dir = await mkdtemp(join(tmpdir(), 'aigw-spent-'));
  });
  afterAll(async () => {
    await testDb?.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it.each([
    [
      'PostgreSQL',
      () => openDatabase({ kind: 'postgres', url: testDb.url, connectionTimeoutMs: 5000, poolSize: 2 }),
    ],
    ['embedded PGlite', () => openDatabase({ kind: 'pglite', dataDir: dir })],
  ])('on %s', async (_name, open) => {
    const db = await open();
    try {
      await applyMigrations(db);
      await seed(db);
      await expectSpends(db);
    } finally {
      await db.close();
    }
  });
});
