import type { Caller } from './caller.js';

interface Entry {
  caller: Caller;
  expiresAt: number;
}

/**
 * Verified virtual keys by SHA-256 hash (never the key itself), so a request with a known
 * key costs no database query. Entries live `ttlMs` at most; admin changes to a key drop
 * its entries at once (see KeyChangeSync for other replicas). The oldest entry goes when
 * `maxEntries` is reached. `ttlMs` 0 turns the cache off.
 */
export class VerifiedKeyCache {
  private readonly entries = new Map<string, Entry>();
  private changes = 0;

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
  ) {}

  get(hash: string, now = Date.now()): Caller | undefined {
    const entry = this.entries.get(hash);
    if (!entry) return undefined;
    if (entry.expiresAt > now) return entry.caller;
    this.entries.delete(hash);
    return undefined;
  }

  /**
   * Read before looking a key up in the database, and passed to `set`: a key whose row was
   * read before an invalidation may be the old row, and is not cached.
   */
  get version(): number {
    return this.changes;
  }

  set(hash: string, caller: Caller, readAtVersion: number, now = Date.now()): void {
    if (this.ttlMs <= 0 || readAtVersion !== this.changes) return;
    this.entries.delete(hash);
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(hash, { caller, expiresAt: now + this.ttlMs });
  }

  /** Drops every entry of the key `apiKeyId` (after a revoke or an edit of its limits). */
  invalidate(apiKeyId: string): void {
    this.changes++;
    for (const [hash, entry] of this.entries)
      if (entry.caller.apiKeyId === apiKeyId) this.entries.delete(hash);
  }

  clear(): void {
    this.changes++;
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
