import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import pg from 'pg';
import type { DatabaseConfig } from './database-config.js';
import { PrismaClient } from './generated/prisma/client.js';
import { PgMigrationAdapterFactory } from './pg-migration-adapter-factory.js';
import { PGliteAdapterFactory } from './pglite-adapter-factory.js';

/** An open database: the Prisma client, and what the migration engine needs to reach it. */
export interface Database {
  readonly kind: DatabaseConfig['kind'];
  readonly prisma: PrismaClient;
  /** A fresh adapter factory for the migration engine, on the same database. */
  migrationAdapter(): { factory: SqlMigrationAwareDriverAdapterFactory; release(): Promise<void> };
  /** Disconnects Prisma and closes the pool or the embedded database. */
  close(): Promise<void>;
}

/** Opens the database the config names. Connections are made lazily, on first use. */
export async function openDatabase(config: DatabaseConfig): Promise<Database> {
  if (config.kind === 'postgres') return openPostgres(config);
  mkdirSync(config.dataDir, { recursive: true });
  const pglite = await PGlite.create({ dataDir: config.dataDir });
  const factory = new PGliteAdapterFactory(pglite);
  const prisma = new PrismaClient({ adapter: factory });
  return {
    kind: 'pglite',
    prisma,
    // One PGlite folder admits one open instance, so the engine shares it.
    migrationAdapter: () => ({ factory, release: async () => {} }),
    async close() {
      await prisma.$disconnect();
      await pglite.close();
    },
  };
}

function openPostgres(config: Extract<DatabaseConfig, { kind: 'postgres' }>): Database {
  const poolConfig: pg.PoolConfig = {
    connectionString: config.url,
    connectionTimeoutMillis: config.connectionTimeoutMs,
    max: config.poolSize,
  };
  const prisma = new PrismaClient({ adapter: new PrismaPg(poolConfig) });
  return {
    kind: 'postgres',
    prisma,
    migrationAdapter() {
      const pool = new pg.Pool({ ...poolConfig, max: 2 });
      // An idle client losing its server must not crash the process.
      pool.on('error', () => {});
      return { factory: new PgMigrationAdapterFactory(pool), release: () => pool.end() };
    },
    close: () => prisma.$disconnect(),
  };
}
