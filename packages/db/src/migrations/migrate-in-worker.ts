import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Database } from '../database.js';
import type { DatabaseConfig } from '../database-config.js';
import { applyMigrations, type MigrationSources } from './migrator.js';

const WORKER = fileURLToPath(new URL('./migrate-worker.js', import.meta.url));

/**
 * applyMigrations, run in a worker thread when the database is a PostgreSQL server: the
 * schema engine (WASM, ~40 MB once instantiated) then lives only as long as the thread,
 * instead of for the whole life of a service that migrates once at start. An embedded
 * PGlite database can only be reached from its own thread, so it migrates in-process, as
 * does source code run without a build (no compiled worker file).
 */
export async function applyMigrationsIsolated(
  db: Database,
  config: DatabaseConfig,
  sources?: MigrationSources,
): Promise<string[]> {
  if (config.kind !== 'postgres' || !existsSync(WORKER)) return applyMigrations(db, sources);
  const worker = new Worker(WORKER, { workerData: { config, sources } });
  try {
    const outcome = await new Promise<{ applied?: string[]; error?: string }>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`The migration worker stopped (exit code ${code})`)));
    });
    if (outcome.error !== undefined) throw new Error(outcome.error);
    return outcome.applied ?? [];
  } finally {
    await worker.terminate();
  }
}
