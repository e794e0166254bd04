import { describe, expect, it } from '@jest/globals';
import type { Caller } from './caller.js';
import { VerifiedKeyCache } from './verified-key-cache.js';

const caller = (apiKeyId: string): Caller => ({
  apiKeyId,
  userId: `user-${apiKeyId}`,
  teamId: null,
  budgetUsd: null,
  rpmLimit: null,
  expiresAtMs: null,
  budgets: [],
  requestRates: [],
  parallel: [],
  tokenRates: [],
  allowedModels: [],
});

describe('VerifiedKeyCache', () => {
  it('answers until the TTL, then forgets', () => {
    const cache = new VerifiedKeyCache(1000);
    cache.set('h1', caller('k1'), cache.version, 10_000);
    expect(cache.get('h1', 10_999)).toEqual(caller('k1'));
    expect(cache.get('h1', 11_000)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('drops every entry of an invalidated key, and only those', () => {
    const cache = new VerifiedKeyCache(60_000);
    cache.set('h1', caller('k1'), cache.version);
    cache.set('h2', caller('k2'), cache.version);
    cache.invalidate('k1');
    expect(cache.get('h1')).toBeUndefined();
    expect(cache.get('h2')).toEqual(caller('k2'));
  });

  it('does not cache a row read before an invalidation (it may be the old row)', () => {
    const cache = new VerifiedKeyCache(60_000);
    const before = cache.version;
    cache.invalidate('k1'); // a revoke lands while the lookup is in flight
    cache.set('h1', caller('k1'), before);
    expect(cache.get('h1')).toBeUndefined();
    const afterClear = cache.version;
    cache.clear();
    cache.set('h1', caller('k1'), afterClear);
    expect(cache.get('h1')).toBeUndefined();
  });

  it('keeps at most maxEntries, dropping the oldest', () => {
    const cache = new VerifiedKeyCache(60_000, 3);
    for (const n of [1, 2, 3, 4]) cache.set(`h${n}`, caller(`k${n}`), cache.version);
    expect(cache.size).toBe(3);
    expect(cache.get('h1')).toBeUndefined();
    expect(cache.get('h4')).toEqual(caller('k4'));
  });

  it('caches nothing with a TTL of 0', () => {
    const cache = new VerifiedKeyCache(0);
    cache.set('h1', caller('k1'), cache.version);
    expect(cache.get('h1')).toBeUndefined();
  });
});
