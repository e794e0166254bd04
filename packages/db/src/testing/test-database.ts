import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The server tests create their databases on; `TEST_DATABASE_URL` overrides it. */
export function testServerUrl(): string {
  return process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
}

/** A fresh, empty PostgreSQL database for one test file; `drop()` removes it. */
export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: testServerUrl() });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Creates a uniquely named database, so parallel runs never see each other's rows. */
export async function createTestDatabase(prefix = 'aigw_test'): Promise<TestDatabase> {
  const name = `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  await adminQuery(`CREATE DATABASE "${name}"`);
  const url = new URL(testServerUrl());
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: () => adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}

/** Refuses (or again allows) new connections to one test database, terminating the open ones. */
export async function setDatabaseReachable(name: string, reachable: boolean): Promise<void> {
  await adminQuery(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS ${reachable}`);
  if (!reachable) {
    await adminQuery(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${name}' AND pid <> pg_backend_pid()`,
    );
  }
}
