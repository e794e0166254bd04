import { sqlStateOf } from './is-bad-row-error.js';

/** An error's gist on one line, for logs: Prisma's messages end with it, after a dump of the query. */
export function describeError(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const gist =
    text
      .split('\n')
      .filter((line) => line.trim() !== '')
      .pop()
      ?.trim() ?? '';
  const code = (error as { code?: unknown } | null)?.code;
  const tags = [typeof code === 'string' ? code : undefined, sqlStateOf(error)].filter(Boolean);
  return `${tags.length > 0 ? `[${tags.join(' ')}] ` : ''}${gist}`.slice(0, 500);
}
