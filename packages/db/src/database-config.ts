import { resolve } from 'node:path';

/** Where the database lives: a PostgreSQL server, or an embedded PGlite folder. */
export type DatabaseConfig =
  | { kind: 'postgres'; url: string; connectionTimeoutMs: number; poolSize: number }
  | { kind: 'pglite'; dataDir: string };

/** Reads `DATABASE_URL` (PostgreSQL) or else `PGLITE_DIR` (default `./.data`). */
export function databaseConfigFromEnv(env: NodeJS.ProcessEnv = process.env): DatabaseConfig {
  const url = env.DATABASE_URL?.trim();
  if (url) {
    return {
      kind: 'postgres',
      url,
      connectionTimeoutMs: Number(env.DATABASE_CONNECT_TIMEOUT_MS ?? 5000),
      poolSize: Number(env.DATABASE_POOL_SIZE ?? 10),
    };
  }
  return { kind: 'pglite', dataDir: resolve(env.PGLITE_DIR?.trim() || '.data') };
}

/** The config with any password removed, for logs. */
export function describeDatabase(config: DatabaseConfig): string {
  if (config.kind === 'pglite') return `PGlite at ${config.dataDir}`;
  try {
    const u = new URL(config.url);
    return `PostgreSQL at ${u.hostname}:${u.port || 5432}${u.pathname}`;
  } catch {
    return 'PostgreSQL (unparsable DATABASE_URL)';
  }
}
