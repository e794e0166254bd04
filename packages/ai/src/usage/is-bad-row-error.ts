/**
 * Prisma codes in P2000-P2033 that are not about the rows sent: P2010 (raw query),
 * P2021/P2022 (table or column missing: a migration fixes it), P2024 (pool timeout),
 * P2026 (unsupported feature), P2028 (transaction API). Those are retried.
 */
const NOT_ROW_CODES = new Set(['P2010', 'P2021', 'P2022', 'P2024', 'P2026', 'P2028']);

interface PrismaLikeError {
  name?: unknown;
  code?: unknown;
  meta?: { driverAdapterError?: { cause?: { originalCode?: unknown; code?: unknown } } };
}

/** The PostgreSQL SQLSTATE behind a Prisma error, when the driver adapter passed one on. */
export function sqlStateOf(error: unknown): string | undefined {
  const cause = (error as PrismaLikeError | null)?.meta?.driverAdapterError?.cause;
  const code = cause?.originalCode ?? cause?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/**
 * True when the database refused the rows themselves, so writing the same rows again can
 * never succeed; false for everything else (unreachable, timeouts, unknown), which is retried.
 */
export function isBadRowError(error: unknown): boolean {
  // Matched by name, not instanceof: robust to two copies of the Prisma runtime.
  const name = (error as PrismaLikeError | null)?.name;
  // Prisma checked the input against the schema before sending anything.
  if (name === 'PrismaClientValidationError') return true;
  if (name !== 'PrismaClientKnownRequestError') return false;
  // The SQLSTATE decides first: Prisma reports both "database not accepting connections"
  // (55000) and "NUL byte in a string" (22021) as P2039.
  const sqlState = sqlStateOf(error);
  if (sqlState !== undefined) {
    // 22 data exception, 23 integrity violation, 54 program limit (e.g. an index row too big).
    return ['22', '23', '54'].includes(sqlState.slice(0, 2));
  }
  const code = (error as PrismaLikeError).code;
  const match = typeof code === 'string' ? /^P2(\d{3})$/.exec(code) : null;
  return match !== null && Number(match[1]) <= 33 && !NOT_ROW_CODES.has(code as string);
}
