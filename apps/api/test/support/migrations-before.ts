import { copyFile, cp, mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prismaDir } from '@aigw/db';
import { expect } from '@jest/globals';

/**
 * A copy of prisma/migrations (in a new temp folder, the caller removes it) holding every
 * migration before the one whose name ends with `suffix`: the schema as it was just before.
 */
export async function migrationsBefore(suffix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'aigw-migrations-before-'));
  const source = join(prismaDir(), 'migrations');
  await copyFile(join(source, 'migration_lock.toml'), join(dir, 'migration_lock.toml'));
  const names = (await readdir(source, { withFileTypes: true }))
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  const next = names.findIndex((name) => name.endsWith(suffix));
  expect(next).toBeGreaterThan(0);
  for (const name of names.slice(0, next)) await cp(join(source, name), join(dir, name), { recursive: true });
  return dir;
}
