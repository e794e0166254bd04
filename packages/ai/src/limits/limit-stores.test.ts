import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { limitStoreSubjects } from './__fixtures__/limit-store-subjects.js';
import { RedisLimitStore } from './redis-limit-store.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
// One prefix for this file, removed at the end: runs never see each other's keys.
const PREFIX = `aigw-test-${randomUUID()}:`;
const redisStores: RedisLimitStore[] = [];
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

afterAll(async () => {
  const [first] = redisStores;
  expect(await first?.clear()).toBeGreaterThan(0);
  await Promise.all(redisStores.map((s) => s.close()));
  const redis = new Redis(REDIS_URL);
  expect(await redis.keys(`${PREFIX}*`)).toEqual([]);
  await redis.quit();
});

const stores = limitStoreSubjects(() => {
  const store = RedisLimitStore.connect(REDIS_URL, { keyPrefix: PREFIX });
  redisStores.push(store);
  return store;
});

// A window or a TTL that lapses during a test: long enough for every call the test makes in it.
const WINDOW_MS = 2000;
const TTL_MS = 2000;

describe.each(stores)('limit store %s', (_name, makeStore) => {
  const { store, wait } = makeStore();
  const key = () => `test:${randomUUID()}`;

  describe('counters', () => {
    it('allows exactly `limit` hits, refuses the next without counting it, and starts again after the window', async () => {
      const k = key();
      const results = [];
      for (let i = 0; i < 6; i++) results.push(await store.hit(k, 1, 5, WINDOW_MS));
      expect(results.map((r) => r.allowed)).toEqual([true, true, true, true, true, false]);
      expect(results.map((r) => r.remaining)).toEqual([4, 3, 2, 1, 0, 0]);
      const refused = results[5];
      expect(refused?.retryAfterMs).toBeGreaterThan(0);
      expect(refused?.retryAfterMs).toBeLessThanOrEqual(WINDOW_MS);
      // Refused hits are not counted: hammering a full window does not push its end out.
      for (let i = 0; i < 5; i++) expect((await store.hit(k, 1, 5, WINDOW_MS)).allowed).toBe(false);
      await wait((refused?.retryAfterMs ?? WINDOW_MS) + 50);
      const again = [];
      for (let i = 0; i < 6; i++) again.push((await store.hit(k, 1, 5, WINDOW_MS)).allowed);
      expect(again).toEqual([true, true, true, true, true, false]);
    });

    it('counts amounts, and refuses one that does not fit while a smaller one still does', async () => {
      const k = key();
      expect(await store.hit(k, 7, 10, 60_000)).toMatchObject({ allowed: true, remaining: 3 });
      expect(await store.hit(k, 4, 10, 60_000)).toMatchObject({ allowed: false, remaining: 3 });
      expect(await store.hit(k, 3, 10, 60_000)).toMatchObject({ allowed: true, remaining: 0 });
    });

    it('keeps keys apart', async () => {
      const [a, b] = [key(), key()];
      expect((await store.hit(a, 1, 1, 60_000)).allowed).toBe(true);
      expect((await store.hit(a, 1, 1, 60_000)).allowed).toBe(false);
      expect((await store.hit(b, 1, 1, 60_000)).allowed).toBe(true);
    });

    it('lets exactly `limit` of 100 concurrent hits through', async () => {
      const k = key();
      const results = await Promise.all(Array.from({ length: 100 }, () => store.hit(k, 1, 10, 60_000)));
      expect(results.filter((r) => r.allowed)).toHaveLength(10);
    });

    it('adjusts a window up and down, never below zero, and drops a negative adjustment of no window', async () => {
      const k = key();
      await store.adjust(k, -5, 60_000);
      expect(await store.hit(k, 10, 10, 60_000)).toMatchObject({ allowed: true, remaining: 0 });
      await store.adjust(k, -4, 60_000);
      expect(await store.hit(k, 0, 10, 60_000)).toMatchObject({ allowed: true, remaining: 4 });
      await store.adjust(k, -100, 60_000);
      expect(await store.hit(k, 0, 10, 60_000)).toMatchObject({ remaining: 10 });
      await store.adjust(k, 12, 60_000);
      expect(await store.hit(k, 1, 10, 60_000)).toMatchObject({ allowed: false, remaining: 0 });
      const fresh = key();
      await store.adjust(fresh, 8, 60_000);
      expect(await store.hit(fresh, 3, 10, 60_000)).toMatchObject({ allowed: false, remaining: 2 });
    });
  });

  describe('slots (calls in flight)', () => {
    it('lets exactly `limit` of 30 concurrent acquires through, and frees a slot on release', async () => {
      const k = key();
      const results = await Promise.all(Array.from({ length: 30 }, () => store.acquire(k, 3, 60_000)));
      const taken = results.filter((r) => r.ok);
      expect(taken).toHaveLength(3);
      expect(results.filter((r) => !r.ok).every((r) => r.inUse === 3 && r.slotId === null)).toBe(true);
      await store.release(k, taken[0]?.slotId as string);
      expect(await store.acquire(k, 3, 60_000)).toMatchObject({ ok: true, inUse: 3 });
      expect((await store.acquire(k, 3, 60_000)).ok).toBe(false);
    });

    it('lets a slot lapse unless refreshed (a replica that died frees its slots)', async () => {
      const k = key();
      const kept = await store.acquire(k, 2, TTL_MS);
      const lapsing = await store.acquire(k, 2, TTL_MS);
      expect((await store.acquire(k, 2, TTL_MS)).ok).toBe(false);
      await wait(300);
      await store.refresh(k, kept.slotId as string, 60_000);
      // 200 ms past both slots' first TTL: only the refreshed one is still taken.
      await wait(TTL_MS - 300 + 200);
      expect(await store.acquire(k, 2, 60_000)).toMatchObject({ ok: true, inUse: 2 });
      expect((await store.acquire(k, 2, 60_000)).ok).toBe(false);
      expect(lapsing.ok).toBe(true);
    });
  });

  describe('budget accounts of a period', () => {
    it('settle returns what is spent; an account with an expiry is seeded once', async () => {
      const account = key();
      await store.ensureSeeded(account, async () => 5n, Date.now() + 60_000);
      await store.ensureSeeded(account, async () => 1000n, Date.now() + 60_000);
      const held = await store.reserve(account, 10n, 100n, 60_000);
      expect(await store.settle(account, held.reservationId as string, 7n)).toBe(12n);
      expect(await store.balance(account)).toEqual({ spentPico: 12n, reservedPico: 0n });
    });
  });

  describe('generations', () => {
    it('start at 0 and count every bump, each name apart', async () => {
      const name = key();
      expect(await store.generation(name)).toBe(0);
      expect(await store.bumpGeneration(name)).toBe(1);
      const bumps = await Promise.all(Array.from({ length: 20 }, () => store.bumpGeneration(name)));
      expect(bumps.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 2));
      expect(await store.generation(name)).toBe(21);
      expect(await store.generation(key())).toBe(0);
    });
  });

  describe('budgets', () => {
    it('reserves while spent + reserved + amount <= limit, and settles to the real cost', async () => {
      const a = `key:${randomUUID()}`;
      const first = await store.reserve(a, 600n, 1000n, 60_000);
      expect(first).toMatchObject({ ok: true, spentPico: 0n, reservedPico: 600n });
      expect(await store.reserve(a, 401n, 1000n, 60_000)).toMatchObject({
        ok: false,
        reservationId: null,
        spentPico: 0n,
        reservedPico: 600n,
      });
      const second = await store.reserve(a, 400n, 1000n, 60_000);
      expect(second).toMatchObject({ ok: true, reservedPico: 1000n });
      await store.settle(a, first.reservationId as string, 250n);
      expect(await store.balance(a)).toEqual({ spentPico: 250n, reservedPico: 400n });
      await store.settle(a, second.reservationId as string, 400n);
      expect(await store.balance(a)).toEqual({ spentPico: 650n, reservedPico: 0n });
      expect((await store.reserve(a, 351n, 1000n, 60_000)).ok).toBe(false);
      expect((await store.reserve(a, 350n, 1000n, 60_000)).ok).toBe(true);
    });

    it('is exact past 2^53 pico-dollars (no floats anywhere)', async () => {
      const a = `key:${randomUUID()}`;
      const limit = 9_007_199_254_740_993n; // 2^53 + 1: a double would read it as 2^53
      const held = await store.reserve(a, limit - 1n, limit, 60_000);
      expect(held.ok).toBe(true);
      expect((await store.reserve(a, 2n, limit, 60_000)).ok).toBe(false);
      expect((await store.reserve(a, 1n, limit, 60_000)).ok).toBe(true);
      await store.settle(a, held.reservationId as string, limit - 1n);
      expect(await store.balance(a)).toEqual({ spentPico: limit - 1n, reservedPico: 1n });
      // A budget far past int64 (1e12 USD) still compares exactly.
      expect((await store.reserve(a, 5n, 10n ** 24n, 60_000)).ok).toBe(true);
    });

    it('lets exactly the reservations that fit through when 50 race for a budget that fits 10', async () => {
      const a = `key:${randomUUID()}`;
      const results = await Promise.all(
        Array.from({ length: 50 }, () => store.reserve(a, 100n, 1000n, 60_000)),
      );
      expect(results.filter((r) => r.ok)).toHaveLength(10);
      expect(await store.balance(a)).toEqual({ spentPico: 0n, reservedPico: 1000n });
    });

    it('lets a reservation lapse unless extended, and settles one that lapsed with its real cost only', async () => {
      const a = `key:${randomUUID()}`;
      const lapsing = await store.reserve(a, 300n, 1000n, TTL_MS);
      const kept = await store.reserve(a, 200n, 1000n, TTL_MS);
      await wait(300);
      expect(await store.extend(a, kept.reservationId as string, 60_000)).toBe(true);
      // 200 ms past both reservations' first TTL: only the extended one still holds.
      await wait(TTL_MS - 300 + 200);
      expect(await store.balance(a)).toEqual({ spentPico: 0n, reservedPico: 200n });
      expect(await store.extend(a, lapsing.reservationId as string, 60_000)).toBe(false);
      await store.settle(a, lapsing.reservationId as string, 120n);
      expect(await store.balance(a)).toEqual({ spentPico: 120n, reservedPico: 200n });
    });

    it('seeds an account once, however many calls ask at the same time', async () => {
      const a = `key:${randomUUID()}`;
      let loads = 0;
      const load = async () => {
        loads++;
        await sleep(20);
        return 700n;
      };
      await Promise.all(Array.from({ length: 20 }, () => store.ensureSeeded(a, load)));
      await store.ensureSeeded(a, load);
      expect(loads).toBe(1);
      expect(await store.balance(a)).toEqual({ spentPico: 700n, reservedPico: 0n });
      expect((await store.reserve(a, 301n, 1000n, 60_000)).ok).toBe(false);
      expect((await store.reserve(a, 300n, 1000n, 60_000)).ok).toBe(true);
    });

    it('retries a seed whose load failed', async () => {
      const a = `key:${randomUUID()}`;
      await expect(store.ensureSeeded(a, async () => Promise.reject(new Error('db down')))).rejects.toThrow(
        'db down',
      );
      await store.ensureSeeded(a, async () => 5n);
      expect(await store.balance(a)).toEqual({ spentPico: 5n, reservedPico: 0n });
    });
  });
});

describe('RedisLimitStore across replicas', () => {
  const one = RedisLimitStore.connect(REDIS_URL, { keyPrefix: PREFIX });
  const two = RedisLimitStore.connect(REDIS_URL, { keyPrefix: PREFIX });
  redisStores.push(one, two);

  it('enforces one counter limit for two connections together', async () => {
    const k = `shared:${randomUUID()}`;
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => (i % 2 ? one : two).hit(k, 1, 15, 60_000)),
    );
    expect(results.filter((r) => r.allowed)).toHaveLength(15);
  });

  it('seeds once and shares one budget between two connections', async () => {
    const a = `key:${randomUUID()}`;
    await Promise.all([one.ensureSeeded(a, async () => 400n), two.ensureSeeded(a, async () => 400n)]);
    expect(await one.balance(a)).toEqual({ spentPico: 400n, reservedPico: 0n });
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) => (i % 2 ? one : two).reserve(a, 60n, 1000n, 60_000)),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(10);
    expect(await two.balance(a)).toEqual({ spentPico: 400n, reservedPico: 600n });
  });

  it('seeds again from the database when Redis lost the account', async () => {
    const a = `key:${randomUUID()}`;
    await one.ensureSeeded(a, async () => 10n);
    const redis = new Redis(REDIS_URL);
    await redis.del(...(await redis.keys(`${PREFIX}budget:{${a}}*`)));
    await redis.quit();
    await one.ensureSeeded(a, async () => 25n);
    expect(await one.balance(a)).toEqual({ spentPico: 25n, reservedPico: 0n });
  });
});
