/** PostgreSQL's SQLSTATEs of a server that cannot take the query now: connection exceptions, shutdown, too many connections. */
const UNAVAILABLE_SQLSTATE = /^(08|57P0[1-3]|53300)/;
/** Prisma's codes for a database it could not reach, or that timed out. */
const PRISMA_UNREACHABLE = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024']);
/** Driver adapter error kinds of a connection, not of a query. */
const ADAPTER_UNREACHABLE = new Set([
  'DatabaseNotReachable',
  'DatabaseAccessDenied',
  'ConnectionClosed',
  'SocketTimeout',
  'TooManyConnections',
]);
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EPIPE',
]);
const MESSAGES =
  /not currently accepting connections|the database system is (starting up|shutting down|in recovery mode)|Connection terminated|timeout exceeded when trying to connect|Can't reach database server/i;

interface ErrorLike {
  name?: unknown;
  code?: unknown;
  kind?: unknown;
  message?: unknown;
  meta?: { driverAdapterError?: unknown };
  cause?: unknown;
}

/**
 * Whether an error means the database could not be reached (down, restarting, refusing
 * connections, out of connections), rather than that a query was wrong: such a request
 * is a 503 to retry, never a 500.
 */
export function isDatabaseUnreachable(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 5) return false;
  const e = error as ErrorLike;
  if (e.name === 'PrismaClientInitializationError') return true;
  const code = typeof e.code === 'string' ? e.code : undefined;
  if (code && (PRISMA_UNREACHABLE.has(code) || SOCKET_CODES.has(code) || UNAVAILABLE_SQLSTATE.test(code)))
    return true;
  if (typeof e.kind === 'string' && ADAPTER_UNREACHABLE.has(e.kind)) return true;
  if (typeof e.message === 'string' && MESSAGES.test(e.message)) return true;
  return (
    isDatabaseUnreachable(e.meta?.driverAdapterError, depth + 1) || isDatabaseUnreachable(e.cause, depth + 1)
  );
}

/** A request that needed the unreachable database, said in its own words (a 503 with Retry-After). */
export class DatabaseUnavailableError extends Error {
  override readonly name = 'DatabaseUnavailableError';
}
