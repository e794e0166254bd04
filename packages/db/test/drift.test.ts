import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { createMigration, schemaDrift } from '../src/migrations/migrator.js';
import { prismaDir } from '../src/paths.js';

// Each check replays every migration on an in-memory PGlite (WebAssembly): seconds alone,
// minutes on a busy two-core machine while the other packages' suites run beside it.
const REPLAYS_MS = 240_000;

describe('schema.prisma and prisma/migrations', () => {
  it(
    'agree in the repository (run `pnpm db:migrate:new <name>` when this fails)',
    async () => {
      const drift = await schemaDrift();
      expect(drift).toBeNull();
    },
    REPLAYS_MS,
  );
});

describe('drift check and migrate:new on a copy of prisma/', () => {
  let dir: string;
  let sources: { schemaPath: string; migrationsDir: string };
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'aigw-prisma-'));
    await cp(prismaDir(), dir, { recursive: true });
    sources = { schemaPath: join(dir, 'schema.prisma'), migrationsDir: join(dir, 'migrations') };
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function addColumn(): Promise<void> {
    const schema = await readFile(sources.schemaPath, 'utf8');
    const edited = schema.replace(/model ApiKey \{\n/, 'model ApiKey {\n  note      String?\n');
    expect(edited).not.toBe(schema);
    await writeFile(sources.schemaPath, edited);
  }

  it(
    'catches an edited schema with no migration',
    async () => {
      await addColumn();
      const drift = await schemaDrift(sources);
      expect(drift).toContain('ALTER TABLE "ApiKey" ADD COLUMN     "note" TEXT');
    },
    REPLAYS_MS,
  );

  it(
    'writes the missing migration, after which the drift is gone',
    async () => {
      await addColumn();
      const before = await readdir(sources.migrationsDir);
      const folder = await createMigration('add_note', sources);
      expect(folder).toMatch(/\d{14}_add_note$/);
      const after = await readdir(sources.migrationsDir);
      expect(after.length).toBe(before.length + 1);
      expect(await readFile(join(folder as string, 'migration.sql'), 'utf8')).toContain('"note" TEXT');
      expect(await schemaDrift(sources)).toBeNull();
      expect(await createMigration('nothing_left', sources)).toBeNull();
    },
    REPLAYS_MS,
  );

  it('refuses a migration name that would make an odd folder', async () => {
    await expect(createMigration('../escape', sources)).rejects.toThrow(/letters, digits and underscores/);
  });
});
