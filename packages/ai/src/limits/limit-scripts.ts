import { createHash } from 'node:crypto';

/** A Lua script and its SHA-1, for EVALSHA. */
export interface LimitScript {
  lua: string;
  sha: string;
  keys: number;
}

// Shared helpers. Lua numbers are doubles, exact only up to 2^53; pico-dollar amounts can
// pass that, so money is added with INCRBY/DECRBY (int64 in Redis), read back with GET
// (a string, since INCRBY's integer reply would become a double) and compared as text.
const PRELUDE = `
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function release_lapsed(committed, expiries, amounts, now)
  local lapsed = redis.call('ZRANGEBYSCORE', expiries, '-inf', now)
  for _, id in ipairs(lapsed) do
    local amount = redis.call('HGET', amounts, id)
    if amount then redis.call('DECRBY', committed, amount) end
    redis.call('HDEL', amounts, id)
  end
  if #lapsed > 0 then redis.call('ZREMRANGEBYSCORE', expiries, '-inf', now) end
end
local function greater(a, b)
  local a_neg, b_neg = string.sub(a, 1, 1) == '-', string.sub(b, 1, 1) == '-'
  if a_neg ~= b_neg then return b_neg end
  if a_neg then a, b = string.sub(b, 2), string.sub(a, 2) end
  if #a ~= #b then return #a > #b end
  return a > b
end
`;

function script(body: string, keys: number): LimitScript {
  const lua = `${PRELUDE}\n${body}`;
  return { lua, sha: createHash('sha1').update(lua).digest('hex'), keys };
}

/**
 * The RedisLimitStore's operations, each one Lua script so it runs atomically.
 * Budget keys: spent (settled, seed included), committed (spent + live reservations),
 * expiries (reservation id -> lapse time, a sorted set), amounts (reservation id -> amount).
 */
export const LIMIT_SCRIPTS = {
  /** KEYS: counter. ARGV: amount, limit, windowMs. Returns [allowed, remaining, retryAfterMs, resetMs]. */
  hit: script(
    `
local count = tonumber(redis.call('GET', KEYS[1]) or '0')
local amount, limit = tonumber(ARGV[1]), tonumber(ARGV[2])
if count + amount > limit then
  local ttl = redis.call('PTTL', KEYS[1])
  if ttl < 0 then ttl = tonumber(ARGV[3]) end
  return { 0, limit - count, ttl }
end
count = redis.call('INCRBY', KEYS[1], ARGV[1])
-- The first counted hit starts the window.
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[3])
  ttl = tonumber(ARGV[3])
end
return { 1, limit - count, 0, ttl }
`,
    1,
  ),
  /** KEYS: counter. ARGV: delta, windowMs. */
  adjust: script(
    `
if redis.call('EXISTS', KEYS[1]) == 0 then
  if tonumber(ARGV[1]) > 0 then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) end
  return 0
end
if redis.call('INCRBY', KEYS[1], ARGV[1]) < 0 then redis.call('SET', KEYS[1], '0', 'KEEPTTL') end
return 0
`,
    1,
  ),
  /**
   * KEYS: spent, committed, seeded. ARGV: seed, expiresAtMs (0: never). The marker makes
   * replicas seed once; a period's account is dropped after its period (and a margin).
   */
  seed: script(
    `
if redis.call('SET', KEYS[3], '1', 'NX') then
  redis.call('INCRBY', KEYS[1], ARGV[1])
  redis.call('INCRBY', KEYS[2], ARGV[1])
  if tonumber(ARGV[2]) > 0 then
    for i = 1, 3 do redis.call('PEXPIREAT', KEYS[i], ARGV[2]) end
  end
  return 1
end
return 0
`,
    3,
  ),
  /** KEYS: spent, committed, expiries, amounts. ARGV: amount, limit, id, ttlMs. Returns [ok, spent, committed]. */
  reserve: script(
    `
local now = now_ms()
release_lapsed(KEYS[2], KEYS[3], KEYS[4], now)
redis.call('INCRBY', KEYS[2], ARGV[1])
local committed = redis.call('GET', KEYS[2])
local ok = 0
if greater(committed, ARGV[2]) then
  redis.call('DECRBY', KEYS[2], ARGV[1])
  committed = redis.call('GET', KEYS[2])
else
  ok = 1
  redis.call('HSET', KEYS[4], ARGV[3], ARGV[1])
  redis.call('ZADD', KEYS[3], now + tonumber(ARGV[4]), ARGV[3])
  -- A period's account expires as a whole: its reservations' keys go with it.
  local ttl = redis.call('PTTL', KEYS[1])
  if ttl > 0 then
    redis.call('PEXPIRE', KEYS[3], ttl)
    redis.call('PEXPIRE', KEYS[4], ttl)
  end
end
return { ok, redis.call('GET', KEYS[1]) or '0', committed }
`,
    4,
  ),
  /** KEYS: expiries. ARGV: id, ttlMs. Returns 1 when the reservation was still live. */
  extend: script(
    `
local now = now_ms()
local expiry = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not expiry or tonumber(expiry) <= now then return 0 end
redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[2]), ARGV[1])
return 1
`,
    1,
  ),
  /** KEYS: spent, committed, expiries, amounts. ARGV: id, actual. */
  settle: script(
    `
local amount = redis.call('HGET', KEYS[4], ARGV[1])
if amount then
  redis.call('DECRBY', KEYS[2], amount)
  redis.call('HDEL', KEYS[4], ARGV[1])
  redis.call('ZREM', KEYS[3], ARGV[1])
end
redis.call('INCRBY', KEYS[2], ARGV[2])
redis.call('INCRBY', KEYS[1], ARGV[2])
return redis.call('GET', KEYS[1])
`,
    4,
  ),
  /** KEYS: slots (a sorted set: slot id -> lapse time). ARGV: limit, id, ttlMs. Returns [ok, inUse]. */
  acquire: script(
    `
local now = now_ms()
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local inUse = redis.call('ZCARD', KEYS[1])
if inUse >= tonumber(ARGV[1]) then return { 0, inUse } end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3], 'GT')
if redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[3]) end
return { 1, inUse + 1 }
`,
    1,
  ),
  /** KEYS: slots. ARGV: id, ttlMs. */
  refresh: script(
    `
local now = now_ms()
if redis.call('ZADD', KEYS[1], 'XX', 'CH', now + tonumber(ARGV[2]), ARGV[1]) == 1 then
  redis.call('PEXPIRE', KEYS[1], ARGV[2], 'GT')
end
return 0
`,
    1,
  ),
  /** KEYS: spent, committed, expiries, amounts. Returns [spent, committed]. */
  balance: script(
    `
release_lapsed(KEYS[2], KEYS[3], KEYS[4], now_ms())
return { redis.call('GET', KEYS[1]) or '0', redis.call('GET', KEYS[2]) or '0' }
`,
    4,
  ),
} satisfies Record<string, LimitScript>;
