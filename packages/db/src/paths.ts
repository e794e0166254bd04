import { fileURLToPath } from 'node:url';

/** The repository's `prisma/` folder (schema and migrations); `PRISMA_DIR` overrides it. */
export function prismaDir(): string {
  // This file sits at packages/db/{src,dist}/paths.*: three levels below the root.
  return process.env.PRISMA_DIR ?? fileURLToPath(new URL('../../../prisma/', import.meta.url));
}
