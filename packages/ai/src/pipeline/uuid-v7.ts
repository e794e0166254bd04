import { randomUUID } from 'node:crypto';

/**
 * A UUIDv7 (RFC 9562): time-ordered, so usage rows sort and page by creation. The 74
 * random bits and the variant come from `randomUUID()` (which draws from a buffered
 * entropy pool: several times cheaper than `randomBytes(16)` per id); the first 48 bits
 * are the millisecond time and the version nibble is 7.
 */
export function uuidv7(now = Date.now()): string {
  const random = randomUUID();
  const time = now.toString(16).padStart(12, '0');
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${random.slice(15)}`;
}
