#!/usr/bin/env node
// `pnpm db:seed-demo`: a realistic month of usage in DATABASE_URL (or the embedded
// PGlite folder), so the dashboard has something to show. Re-running replaces it.
import { existsSync } from 'node:fs';
import { applyMigrations, databaseConfigFromEnv, describeDatabase, openDatabase } from '@aigw/db';
import { seedDemoData } from './seed-demo-data.js';

/** PGlite is one process's at a time: refuse while the service has the same folder open. */
async function embeddedDatabaseInUse(port: string): Promise<boolean> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(1000) });
    const body = (await res.json()) as { details?: { database?: { kind?: string } } };
    return body.details?.database?.kind === 'pglite';
  } catch {
    return false;
  }
}

async function main(): Promise<number> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const config = databaseConfigFromEnv();
  if (config.kind === 'pglite' && (await embeddedDatabaseInUse(process.env.PORT ?? '3000'))) {
    console.error(
      `The service on port ${process.env.PORT ?? '3000'} has the embedded database open. Stop it (Ctrl-C), run \`pnpm db:seed-demo\` again, then \`pnpm start\`.`,
    );
    return 1;
  }
  const db = await openDatabase(config);
  try {
    await applyMigrations(db);
    const started = performance.now();
    const result = await seedDemoData(db.prisma, { now: new Date() });
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(
      [
        `Seeded ${describeDatabase(config)} in ${seconds} s:`,
        `  ${result.rows} usage rows from ${result.from.toISOString().slice(0, 10)} to ${result.to.toISOString().slice(0, 10)}, $${result.costUsd} in all`,
        `  ${result.keys} keys named "demo seed" (budgets to show; their secrets were never kept)`,
        result.removedRows || result.removedKeys
          ? `  replaced an earlier demo seeding (${result.removedRows} rows, ${result.removedKeys} keys); other rows untouched`
          : '  re-running replaces these rows and keys; other rows are never touched',
        'Start the service (`pnpm start`) and open http://localhost:3000/dashboard',
      ].join('\n'),
    );
    return 0;
  } finally {
    await db.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`Seeding failed: ${error.message}`);
    process.exit(1);
  },
);
