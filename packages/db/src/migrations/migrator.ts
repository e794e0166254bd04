import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { Database } from '../database.js';
import { prismaDir } from '../paths.js';
import { PGliteAdapterFactory } from '../pglite-adapter-factory.js';
import { ensureLockfile, readMigrations, writeMigration } from './migration-files.js';
import { createSchemaEngine, engineError, type SchemaEngine } from './schema-engine.js';

/** Where the schema and its migrations are; defaults to the repository's `prisma/`. */
export interface MigrationSources {
  schemaPath?: string;
  migrationsDir?: string;
}

const NO_FILTERS = { externalTables: [], externalEnums: [] };

function resolveSources(sources: MigrationSources = {}) {
  return {
    schemaPath: sources.schemaPath ?? join(prismaDir(), 'schema.prisma'),
    migrationsDir: sources.migrationsDir ?? join(prismaDir(), 'migrations'),
  };
}

async function loadSchema(schemaPath: string) {
  return { path: schemaPath, content: await readFile(schemaPath, 'utf8') };
}

/**
 * Applies the committed migrations that the database has not seen yet, recording them in
 * `_prisma_migrations` as `prisma migrate deploy` does. Returns the names just applied.
 */
export async function applyMigrations(db: Database, sources?: MigrationSources): Promise<string[]> {
  const { schemaPath, migrationsDir } = resolveSources(sources);
  const migrationsList = await readMigrations(migrationsDir);
  const { factory, release } = db.migrationAdapter();
  let engine: SchemaEngine | undefined;
  try {
    engine = await createSchemaEngine(factory, await loadSchema(schemaPath));
    const out = await engine.applyMigrations({ migrationsList, filters: NO_FILTERS });
    return out.appliedMigrationNames;
  } catch (error) {
    throw engineError(error, 'Applying migrations failed');
  } finally {
    engine?.free();
    await release();
  }
}

/** Runs `fn` with an engine on a throwaway in-memory database (and in-memory shadow databases). */
async function withScratchEngine<T>(
  schemaPath: string,
  fn: (engine: SchemaEngine) => Promise<T>,
): Promise<T> {
  const scratch = new PGlite();
  let engine: SchemaEngine | undefined;
  try {
    engine = await createSchemaEngine(new PGliteAdapterFactory(scratch), await loadSchema(schemaPath));
    return await fn(engine);
  } finally {
    engine?.free();
    await scratch.close();
  }
}

/**
 * The SQL that would take a database from the committed migrations to `schema.prisma`,
 * or null when they agree. Needs no database server: it replays them in memory.
 */
export async function schemaDrift(sources?: MigrationSources): Promise<string | null> {
  const { schemaPath, migrationsDir } = resolveSources(sources);
  const migrationsList = await readMigrations(migrationsDir);
  const schema = await loadSchema(schemaPath);
  return withScratchEngine(schemaPath, async (engine) => {
    try {
      const result = await engine.diff({
        from: { tag: 'migrations', ...migrationsList },
        to: { tag: 'schemaDatamodel', files: [schema] },
        script: true,
        exitCode: true,
        filters: NO_FILTERS,
      });
      return result.exitCode === 2 ? (result.stdout ?? '') : null;
    } catch (error) {
      throw engineError(error, 'Comparing schema.prisma with the migrations failed');
    }
  });
}

/**
 * Writes a new migration folder, `<timestamp>_<name>/migration.sql`, with the SQL from the
 * committed migrations to `schema.prisma`. Returns its path, or null when they agree.
 */
export async function createMigration(name: string, sources?: MigrationSources): Promise<string | null> {
  if (!/^[a-z0-9_]+$/i.test(name)) {
    throw new Error(`Migration name "${name}" must use only letters, digits and underscores`);
  }
  const resolved = resolveSources(sources);
  await ensureLockfile(resolved.migrationsDir);
  const script = await schemaDrift(resolved);
  if (script === null) return null;
  // The engine's createMigration has no shadow database through adapters; diff does the same job.
  const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
  return writeMigration(resolved.migrationsDir, `${stamp}_${name}`, script);
}
