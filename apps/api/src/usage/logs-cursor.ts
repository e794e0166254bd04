/** Where a page of usage logs ended: the last row's position in (createdAt DESC, id DESC). */
export interface LogsCursor {
  createdAt: Date;
  id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An opaque base64url token for a cursor. */
export function encodeLogsCursor(cursor: LogsCursor): string {
  return Buffer.from(JSON.stringify([cursor.createdAt.toISOString(), cursor.id])).toString('base64url');
}

/** The cursor a token stands for, or undefined when it is not one of ours. */
export function decodeLogsCursor(token: string): LogsCursor | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(token)) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (!Array.isArray(value) || value.length !== 2) return undefined;
  const [at, id] = value as unknown[];
  if (typeof at !== 'string' || typeof id !== 'string' || !UUID.test(id)) return undefined;
  const createdAt = new Date(at);
  // Only what encodeLogsCursor writes: a canonical ISO instant.
  if (Number.isNaN(createdAt.getTime()) || createdAt.toISOString() !== at) return undefined;
  return { createdAt, id };
}
