import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, setDatabaseReachable, type TestDatabase } from '@aigw/db/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { type RunningApp, startApp } from './support/start-app.js';

async function tablesIn(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const res = await client.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1",
    );
    return res.rows.map((r) => r.table_name);
  } finally {
    await client.end();
  }
}

async function waitFor<T>(fn: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (ok(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
}

const getHealth = async (url: string) => {
  const res = await fetch(`${url}/health`);
  return {
    status: res.status,
    body: (await res.json()) as { details: { database: Record<string, unknown> } },
  };
};

describe('GET /health with DATABASE_URL', () => {
  let testDb: TestDatabase;
  let running: RunningApp;
  beforeAll(async () => {
    testDb = await createTestDatabase();
    running = await startApp({ DATABASE_URL: testDb.url });
  }, 180_000);
  afterAll(async () => {
    await running?.close();
    await testDb.drop();
  });

  it('answers 200 with the database up, and the migrations made the tables', async () => {
    const { status, body } = await getHealth(running.url);
    expect(status).toBe(200);
    expect(body.details.database).toMatchObject({ status: 'up', kind: 'postgres', migrations: 'applied' });
    expect(await tablesIn(testDb.url)).toEqual([
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
  });

  it('reports the database down (503) while it refuses connections, and up again after', async () => {
    await setDatabaseReachable(testDb.name, false);
    try {
      const down = await getHealth(running.url);
      expect(down.status).toBe(503);
      expect(down.body.details.database.status).toBe('down');
    } finally {
      await setDatabaseReachable(testDb.name, true);
    }
    const up = await waitFor(
      () => getHealth(running.url),
      (h) => h.status === 200,
    );
    expect(up.status).toBe(200);
  });
});

describe('GET /health with an unreachable database at start', () => {
  let testDb: TestDatabase;
  let running: RunningApp;
  beforeAll(async () => {
    testDb = await createTestDatabase();
    await setDatabaseReachable(testDb.name, false);
    running = await startApp({ DATABASE_URL: testDb.url }, { migrateRetryMs: 200 });
  }, 180_000);
  afterAll(async () => {
    await running?.close();
    await testDb.drop();
  });

  it('starts anyway, reports unhealthy instead of crashing, then migrates once the database is back', async () => {
    const down = await getHealth(running.url);
    expect(down.status).toBe(503);
    expect(down.body.details.database.status).toBe('down');

    await setDatabaseReachable(testDb.name, true);
    const up = await waitFor(
      () => getHealth(running.url),
      (h) => h.status === 200,
    );
    expect(up.body.details.database).toMatchObject({ status: 'up', migrations: 'applied' });
    expect(await tablesIn(testDb.url)).toContain('AIUsageLog');
  });
});

describe('GET /health on embedded PGlite', () => {
  let dir: string;
  let running: RunningApp;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'aigw-api-'));
    running = await startApp({ PGLITE_DIR: join(dir, 'db') });
  }, 180_000);
  afterAll(async () => {
    await running?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('answers 200 with kind pglite', async () => {
    const { status, body } = await getHealth(running.url);
    expect(status).toBe(200);
    expect(body.details.database).toMatchObject({ status: 'up', kind: 'pglite', migrations: 'applied' });
  });
});
