import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import type { Redis } from 'ioredis';
import { LIMIT_SCRIPTS, type LimitScript } from './limit-scripts.js';
import type { BudgetBalance, HitResult, LimitStore, ReserveResult, SlotResult } from './limit-store.js';

/** Options of a RedisLimitStore. */
export interface RedisLimitStoreOptions {
  /** Put before every key, so several gateways (or test runs) can share one Redis (default `aigw:`). */
  keyPrefix?: string;
  /** Whether `close()` quits the connection (true for `RedisLimitStore.connect`). */
  ownsConnection?: boolean;
}

/**
 * A LimitStore in Redis, shared by every replica: each operation is one Lua script,
 * so check and update are atomic across processes. Budget reservations lapse on their
 * own (a sorted set by lapse time, cleaned by every reserve), so a process that dies
 * mid-call does not hold budget forever.
 */
export class RedisLimitStore implements LimitStore {
  private readonly prefix: string;
  private readonly seeding = new Map<string, Promise<void>>();

  constructor(
    private readonly redis: Redis,
    private readonly options: RedisLimitStoreOptions = {},
  ) {
    this.prefix = options.keyPrefix ?? 'aigw:';
  }

  /** Connects to `url` (redis:// or rediss://); the store owns and closes the connection. */
  static connect(
    url: string,
    options: Omit<RedisLimitStoreOptions, 'ownsConnection'> & {
      /** Connection errors (ioredis reconnects on its own); unhandled, ioredis prints them to stderr. */
      onError?: (error: Error) => void;
    } = {},
  ): RedisLimitStore {
    // Loaded here, not at import: a gateway without REDIS_URL never pays its ~13 MB.
    const { Redis: RedisClient } = createRequire(import.meta.url)('ioredis') as typeof import('ioredis');
    // Few retries per command: a call waits seconds at most for a Redis that is down, not forever.
    const redis = new RedisClient(url, { maxRetriesPerRequest: 2, connectTimeout: 5000 });
    if (options.onError) redis.on('error', options.onError);
    return new RedisLimitStore(redis, { keyPrefix: options.keyPrefix, ownsConnection: true });
  }

  async hit(key: string, amount: number, limit: number, windowMs: number): Promise<HitResult> {
    const [allowed, remaining, retryAfterMs, resetMs] = (await this.run(
      LIMIT_SCRIPTS.hit,
      [this.counterKey(key)],
      [integer(amount), integer(limit), integer(windowMs)],
    )) as [number, number, number, number | undefined];
    return {
      allowed: allowed === 1,
      remaining: Math.max(0, remaining),
      retryAfterMs,
      ...(resetMs === undefined ? {} : { resetMs }),
    };
  }

  async adjust(key: string, delta: number, windowMs: number): Promise<void> {
    if (Math.round(delta) === 0) return;
    await this.run(LIMIT_SCRIPTS.adjust, [this.counterKey(key)], [integer(delta), integer(windowMs)]);
  }

  async ensureSeeded(account: string, load: () => Promise<bigint>, expiresAtMs?: number): Promise<void> {
    const keys = this.accountKeys(account);
    // Checked every time (one cheap round trip): a flushed Redis is seeded again from the database.
    if (await this.redis.exists(keys.seeded)) return;
    let pending = this.seeding.get(account);
    if (!pending) {
      pending = (async () => {
        const spent = await load();
        await this.run(
          LIMIT_SCRIPTS.seed,
          [keys.spent, keys.committed, keys.seeded],
          [spent.toString(), integer(expiresAtMs ?? 0)],
        );
      })().finally(() => this.seeding.delete(account));
      this.seeding.set(account, pending);
    }
    await pending;
  }

  async reserve(
    account: string,
    amountPico: bigint,
    limitPico: bigint,
    ttlMs: number,
  ): Promise<ReserveResult> {
    const keys = this.accountKeys(account);
    const id = randomUUID();
    const [ok, spent, committed] = (await this.run(
      LIMIT_SCRIPTS.reserve,
      [keys.spent, keys.committed, keys.expiries, keys.amounts],
      [amountPico.toString(), limitPico.toString(), id, integer(ttlMs)],
    )) as [number, string, string];
    const spentPico = BigInt(spent);
    return {
      ok: ok === 1,
      reservationId: ok === 1 ? id : null,
      spentPico,
      reservedPico: BigInt(committed) - spentPico,
    };
  }

  async extend(account: string, reservationId: string, ttlMs: number): Promise<boolean> {
    const keys = this.accountKeys(account);
    return (await this.run(LIMIT_SCRIPTS.extend, [keys.expiries], [reservationId, integer(ttlMs)])) === 1;
  }

  async settle(account: string, reservationId: string, actualPico: bigint): Promise<bigint> {
    const keys = this.accountKeys(account);
    const spent = await this.run(
      LIMIT_SCRIPTS.settle,
      [keys.spent, keys.committed, keys.expiries, keys.amounts],
      [reservationId, actualPico.toString()],
    );
    return BigInt(spent as string);
  }

  async acquire(key: string, limit: number, ttlMs: number): Promise<SlotResult> {
    const id = randomUUID();
    const [ok, inUse] = (await this.run(
      LIMIT_SCRIPTS.acquire,
      [this.slotsKey(key)],
      [integer(limit), id, integer(ttlMs)],
    )) as [number, number];
    return { ok: ok === 1, slotId: ok === 1 ? id : null, inUse };
  }

  async refresh(key: string, slotId: string, ttlMs: number): Promise<void> {
    await this.run(LIMIT_SCRIPTS.refresh, [this.slotsKey(key)], [slotId, integer(ttlMs)]);
  }

  async release(key: string, slotId: string): Promise<void> {
    await this.redis.zrem(this.slotsKey(key), slotId);
  }

  async balance(account: string): Promise<BudgetBalance> {
    const keys = this.accountKeys(account);
    const [spent, committed] = (await this.run(
      LIMIT_SCRIPTS.balance,
      [keys.spent, keys.committed, keys.expiries, keys.amounts],
      [],
    )) as [string, string];
    const spentPico = BigInt(spent);
    return { spentPico, reservedPico: BigInt(committed) - spentPico };
  }

  /** Deletes every key under this store's prefix (a test's cleanup, or a full reset); returns how many. */
  async clear(): Promise<number> {
    let deleted = 0;
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(
        cursor,
        'MATCH',
        `${escapeGlob(this.prefix)}*`,
        'COUNT',
        500,
      );
      if (keys.length) deleted += await this.redis.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
    return deleted;
  }

  async markBreakerOpen(target: string, untilMs: number): Promise<void> {
    // One hash for all targets: every replica reads it with a single HGETALL per poll.
    const key = this.breakersKey();
    await this.redis
      .multi()
      .hset(key, target, String(untilMs))
      .pexpire(key, Math.max(1, untilMs - Date.now()), 'GT')
      .exec();
    await this.redis.pexpire(key, Math.max(1, untilMs - Date.now()), 'NX');
  }

  async openBreakers(): Promise<Record<string, number>> {
    const now = Date.now();
    const all = await this.redis.hgetall(this.breakersKey());
    const open: Record<string, number> = {};
    for (const [target, until] of Object.entries(all)) if (Number(until) > now) open[target] = Number(until);
    return open;
  }

  async close(): Promise<void> {
    if (!this.options.ownsConnection || this.redis.status === 'end') return;
    // QUIT waits for pending replies; a Redis that is down would make it wait for reconnects.
    if (this.redis.status === 'ready') await this.redis.quit().catch(() => this.redis.disconnect());
    else this.redis.disconnect();
  }

  async bumpGeneration(name: string): Promise<number> {
    return this.redis.incr(this.generationKey(name));
  }

  async generation(name: string): Promise<number> {
    return Number((await this.redis.get(this.generationKey(name))) ?? 0);
  }

  private generationKey(name: string): string {
    return `${this.prefix}gen:${name}`;
  }

  private counterKey(key: string): string {
    return `${this.prefix}rl:${key}`;
  }

  private slotsKey(key: string): string {
    return `${this.prefix}slots:${key}`;
  }

  private breakersKey(): string {
    return `${this.prefix}breakers`;
  }

  /** One account's keys; the `{account}` hash tag keeps them in one Redis Cluster slot. */
  private accountKeys(account: string) {
    const base = `${this.prefix}budget:{${account}}`;
    return {
      spent: `${base}:spent`,
      committed: `${base}:committed`,
      expiries: `${base}:expiries`,
      amounts: `${base}:amounts`,
      seeded: `${base}:seeded`,
    };
  }

  /** EVALSHA, loading the script with EVAL when this Redis has not seen it (or lost it in a restart). */
  private async run(script: LimitScript, keys: string[], args: string[]): Promise<unknown> {
    try {
      return await this.redis.evalsha(script.sha, script.keys, ...keys, ...args);
    } catch (error) {
      if (!String((error as Error)?.message).startsWith('NOSCRIPT')) throw error;
      return this.redis.eval(script.lua, script.keys, ...keys, ...args);
    }
  }
}

/** The prefix as a literal in a SCAN pattern. */
function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}

function integer(n: number): string {
  return String(Math.round(n));
}
