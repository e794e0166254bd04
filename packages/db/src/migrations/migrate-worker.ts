// Runs applyMigrations for a PostgreSQL database in a worker thread (see
// migrate-in-worker.ts): the schema engine's WASM instance dies with the thread.
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from '../database.js';
import type { DatabaseConfig } from '../database-config.js';
import { applyMigrations, type MigrationSources } from './migrator.js';

const { config, sources } = workerData as { config: DatabaseConfig; sources?: MigrationSources };
const db = await openDatabase(config);
try {
  parentPort?.postMessage({ applied: await applyMigrations(db, sources) });
} catch (error) {
  parentPort?.postMessage({ error: (error as Error).message ?? String(error) });
} finally {
  await db.close();
}
