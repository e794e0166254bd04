import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyMigrations, type Database, openDatabase } from '@aigw/db';
import { createTestDatabase, type TestDatabase } from '@aigw/db/testing';
import type { UsageRecord } from '../usage-record.js';
import type { UsageLogger } from '../usage-writer-options.js';

/** A migrated PostgreSQL database of its own for one test file. */
export interface UsageTestDatabase {
  testDb: TestDatabase;
  db: Database;
  /** Closes the client and drops the database. */
  drop(): Promise<void>;
}

/** Creates, opens and migrates a fresh test database. */
export async function openUsageTestDatabase(): Promise<UsageTestDatabase> {
  const testDb = await createTestDatabase('aigw_usage');
  const db = await openDatabase({
    kind: 'postgres',
    url: testDb.url,
    connectionTimeoutMs: 2000,
    poolSize: 5,
  });
  await applyMigrations(db);
  return {
    testDb,
    db,
    async drop() {
      await db.close();
      await testDb.drop();
    },
  };
}

/** A complete usage record; `requestId` says which test it belongs to. */
export function usageRecord(requestId: string, overrides: Partial<UsageRecord> = {}): UsageRecord {
  return {
    id: randomUUID(),
    requestId,
    attempt: 1,
    userId: 'user-1',
    apiKeyId: null,
    provider: 'openai',
    model: 'gpt-4o-mini-2024-07-18',
    requestedModel: 'mini',
    requestType: 'chat',
    stream: false,
    promptTokens: 1,
    cacheReadTokens: null,
    cacheWriteTokens: null,
    completionTokens: null,
    reasoningTokens: null,
    totalTokens: 1,
    usageSource: 'reported',
    costUsd: '0.000000020000',
    pricing: { inputPer1M: '0.02' },
    isSuccess: true,
    errorCode: null,
    httpStatus: 200,
    latencyMs: 12,
    timeToFirstTokenMs: null,
    characterId: null,
    chatId: null,
    metadata: {},
    createdAt: new Date().toISOString(),
    ...overrides,
  };
}

/** A temporary spool folder; `remove()` deletes it. */
export async function tempSpoolDir(): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'aigw-usage-spool-'));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** The JSON lines of the files in `dir` whose names start with `prefix`. */
export async function readJsonLines(dir: string, prefix: 'spool-' | 'rejected-'): Promise<unknown[]> {
  const names = (await readdir(dir)).filter((n) => n.startsWith(prefix)).sort();
  const lines: unknown[] = [];
  for (const name of names) {
    const text = await readFile(join(dir, name), 'utf8');
    for (const line of text.split('\n')) if (line.trim() !== '') lines.push(JSON.parse(line));
  }
  return lines;
}

/** The spool files in `dir`. */
export async function spoolFiles(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((n) => n.startsWith('spool-'));
}

/** Rows per requestId for the requestIds starting with `prefix`. */
export async function rowsPerRequest(db: Database, prefix: string): Promise<Map<string, number>> {
  const groups = await db.prisma.aIUsageLog.groupBy({
    by: ['requestId'],
    where: { requestId: { startsWith: prefix } },
    _count: { _all: true },
  });
  return new Map(groups.map((g) => [g.requestId, g._count._all]));
}

/** Waits until `check` holds, polling; fails after `timeoutMs` (a deadline, not a speed test). */
export async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for: ${what}`);
    await sleep(25);
  }
}

/** Resolves after `ms` milliseconds. */
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A logger that keeps what it is told, for assertions and a quiet test output. */
export function memoryLogger(): UsageLogger & { warnings: string[]; errors: string[] } {
  const warnings: string[] = [];
  const errors: string[] = [];
  return { warnings, errors, warn: (m) => warnings.push(m), error: (m) => errors.push(m) };
}
