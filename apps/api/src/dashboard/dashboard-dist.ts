import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * The folder of the built dashboard (`apps/dashboard/dist`), found through the package
 * (a workspace dependency), so it works from the source tree, from `dist/` and in the
 * Docker image alike. Undefined when the package or its build is missing.
 */
export function dashboardDist(): string | undefined {
  let root: string;
  try {
    root = dirname(createRequire(import.meta.url).resolve('@aigw/dashboard/package.json'));
  } catch {
    return undefined;
  }
  const dist = join(root, 'dist');
  return existsSync(join(dist, 'index.html')) ? dist : undefined;
}
