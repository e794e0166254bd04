import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RedisLimitStore } from '@aigw/ai';
import { type FakeHandler, FakeUpstream, openAIFake } from '@aigw/ai/testing';
import { type Database, openDatabase } from '@aigw/db';
import { createTestDatabase, type TestDatabase } from '@aigw/db/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Decimal } from 'decimal.js';
import { adminFetch } from './support/admin-api.js';
import { OPENAI_UPSTREAM_KEY } from './support/gateway.js';
import { listeningPort, MAIN, run, type Service, waitForHealth } from './support/service-process.js';
import { TEST_ADMIN_KEY } from './support/start-app.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const REDIS_KEY_PREFIX = `aigw-test-${randomUUID()}:`;
const usage = (prompt: number, completion: number) => ({
  prompt_tokens: prompt,
  completion_tokens: completion,
  total_tokens: prompt + completion,
});
/** The fake's JSON answers, `ms` later: calls stay in flight long enough to be cut. */
const slow =
  (handler: FakeHandler, ms: number): FakeHandler =>
  async (request) => {
    const reply = await handler(request);
    return reply.kind === 'json' ? { ...reply, delayMs: ms } : reply;
  };

/**
 * Three gateway processes (`dist/main.js`, as deployed) on one machine, sharing one Redis and
 * one PostgreSQL, with one fake upstream behind them; calls are spread over them as a load
 * balancer would. (replicas.test.ts checks the same in one process, faster.)
 */
describe('three gateway processes on one Redis and one PostgreSQL', () => {
  let upstream: FakeUpstream;
  let testDb: TestDatabase;
  let db: Database;
  let dir: string;
  const replicas: { service: Service; url: string }[] = [];
  let turn = 0;
  const next = () => (replicas[turn++ % replicas.length] as { url: string }).url;

  const start = async (name: string, extra: Record<string, string> = {}) => {
    const env = {
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_URL: testDb.url,
      REDIS_URL,
      REDIS_KEY_PREFIX,
      ADMIN_API_KEY: TEST_ADMIN_KEY,
      OPENAI_API_KEY: OPENAI_UPSTREAM_KEY,
      OPENAI_BASE_URL: `${upstream.url}/v1`,
      USAGE_SPOOL_DIR: join(dir, `spool-${name}`),
      LOG_LEVEL: 'info',
      ...extra,
    };
    const service = run(env, dir);
    // A process may take long to start on a loaded machine.
    const url = `http://127.0.0.1:${await listeningPort(service, 90_000)}`;
    await waitForHealth(url, service, 90_000);
    return { service, url };
  };

  beforeAll(async () => {
    expect(existsSync(MAIN)).toBe(true);
    upstream = new FakeUpstream(openAIFake());
    [, testDb] = await Promise.all([upstream.listen(), createTestDatabase()]);
    db = await openDatabase({ kind: 'postgres', url: testDb.url, connectionTimeoutMs: 5000, poolSize: 2 });
    dir = await mkdtemp(join(tmpdir(), 'aigw-replicas-'));
    // The first applies the migrations; the other two start on a migrated database.
    replicas.push(await start('a'));
    replicas.push(...(await Promise.all([start('b'), start('c')])));
  }, 240_000); // two starts in a row, each allowed 90 s
  afterAll(async () => {
    for (const { service } of replicas) if (service.child.exitCode === null) service.child.kill('SIGKILL');
    await db?.close();
    await testDb?.drop();
    await upstream?.close();
    await rm(dir, { recursive: true, force: true });
    const store = RedisLimitStore.connect(REDIS_URL, { keyPrefix: REDIS_KEY_PREFIX });
    await store.clear();
    await store.close();
  });

  const chat = async (url: string, key: string, body: Record<string, unknown> = {}) => {
    const res = await fetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }], ...body }),
    });
    await res.arrayBuffer();
    return { status: res.status, requestId: res.headers.get('x-request-id') ?? '' };
  };
  const issue = async (body: Record<string, unknown>) =>
    (await adminFetch<{ id: string; key: string }>(next(), '/admin/keys', { method: 'POST', json: body }))
      .body;
  /** Polls until `check` holds, for at most `ms`; returns whether it did. */
  const within = async (ms: number, check: () => Promise<boolean>) => {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
      if (await check()) return true;
      await new Promise((r) => setTimeout(r, 50));
    }
    return check();
  };

  it('an rpm limit and a tpm limit admit no more than their limit in total', async () => {
    upstream.handler = openAIFake({ usage: usage(5, 5) });
    const rpm = await issue({ userId: 'p-rpm', rpmLimit: 6 });
    const statuses = (await Promise.all(Array.from({ length: 18 }, () => chat(next(), rpm.key)))).map(
      (r) => r.status,
    );
    expect(statuses.filter((s) => s === 200)).toHaveLength(6);
    expect(statuses.filter((s) => s === 429)).toHaveLength(12);

    upstream.handler = openAIFake({ usage: usage(21, 60) });
    const tpm = await issue({ userId: 'p-tpm', tpmLimit: 200 });
    const tpmStatuses: number[] = [];
    for (let i = 0; i < 6; i++) tpmStatuses.push((await chat(next(), tpm.key)).status);
    expect(tpmStatuses).toEqual([200, 200, 200, 429, 429, 429]);
  });

  it('a tight team budget is overrun by at most one call in total', async () => {
    // gpt-4o: 21 prompt + 12000 output tokens = $0.1200525 a call.
    upstream.handler = openAIFake({ usage: usage(21, 12_000) });
    const team = (
      await adminFetch<{ id: string }>(next(), '/admin/teams', {
        method: 'POST',
        json: {
          name: `p-replicas-${randomUUID().slice(0, 8)}`,
          budgets: [{ amountUsd: '1', period: 'monthly' }],
        },
      })
    ).body;
    const keys = await Promise.all([0, 1, 2].map((i) => issue({ userId: `p-team-${i}`, teamId: team.id })));
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        chat(next(), (keys[i % 3] as { key: string }).key, { model: 'gpt-4o', max_tokens: 16_000 }),
      ),
    );
    const ok = results.filter((r) => r.status === 200);
    expect(ok.length + results.filter((r) => r.status === 402).length).toBe(30);
    expect(ok.length).toBeGreaterThanOrEqual(6);
    expect(ok.length).toBeLessThanOrEqual(9);
    // Each replica writes its rows within its flush interval (200 ms).
    let rows: { costUsd: { toFixed(): string } | null }[] = [];
    await within(5000, async () => {
      rows = await db.prisma.aIUsageLog.findMany({ where: { teamId: team.id } });
      return rows.length >= ok.length;
    });
    expect(rows).toHaveLength(ok.length);
    const spent = rows.reduce((sum, r) => sum.plus(r.costUsd?.toFixed() ?? '0'), new Decimal(0));
    expect(spent.lte(new Decimal(1).plus('0.1200525'))).toBe(true);
  });

  it('a key revoked on one replica is refused by every replica within a second', async () => {
    upstream.handler = openAIFake({ usage: usage(5, 5) });
    const { id, key } = await issue({ userId: 'p-revoke' });
    for (const { url } of replicas) expect((await chat(url, key)).status).toBe(200);
    expect((await adminFetch(replicas[0]?.url ?? '', `/admin/keys/${id}`, { method: 'DELETE' })).status).toBe(
      200,
    );
    const refusedEverywhere = async () =>
      (await Promise.all(replicas.map(({ url }) => chat(url, key)))).every((r) => r.status === 401);
    expect(await within(1000, refusedEverywhere)).toBe(true);
  });

  it('each call is exactly one row, with a replica killed (SIGKILL) mid-load and restarted on its spool', async () => {
    upstream.handler = slow(openAIFake({ usage: usage(5, 5) }), 15);
    const { key } = await issue({ userId: 'p-kill' });
    const killedIndex = 1;
    const name = ['a', 'b', 'c'][killedIndex] as string;
    // The victim, restarted to hold its rows for a minute (the default writes them within
    // 200 ms): every row it answers is then still in its buffer and journal when it is killed.
    const before = replicas[killedIndex] as { service: Service };
    before.service.child.kill('SIGTERM');
    await before.service.exited;
    replicas[killedIndex] = await start(name, { USAGE_FLUSH_INTERVAL_MS: '60000' });
    const victim = replicas[killedIndex] as { service: Service; url: string };
    const victimAnswered: string[] = [];
    const alive = [true, true, true];
    const answered: { status: number; requestId: string }[] = [];
    let cut = 0;
    let fromVictim = 0;
    let picks = 0;
    const pick = () => {
      for (;;) {
        const i = picks++ % 3;
        if (alive[i]) return i;
      }
    };
    const worker = async () => {
      for (let n = 0; n < 15; n++) {
        const i = pick();
        try {
          const result = await chat((replicas[i] as { url: string }).url, key);
          answered.push(result);
          if (i === killedIndex && result.status === 200) victimAnswered.push(result.requestId);
          if (i === killedIndex && result.status === 200 && ++fromVictim === 25 && alive[i]) {
            alive[i] = false;
            victim.service.child.kill('SIGKILL');
          }
        } catch {
          cut++; // in flight on the killed replica
        }
      }
    };
    await Promise.all(Array.from({ length: 20 }, worker));
    expect(alive[killedIndex]).toBe(false);
    expect(await victim.service.exited).toMatchObject({ signal: 'SIGKILL' });
    const ok = answered.filter((r) => r.status === 200);
    expect(ok.length + cut).toBe(300);
    // What the killed process had answered is not in the database, but in its journal.
    expect(victimAnswered.length).toBeGreaterThanOrEqual(25);
    const unwritten = await db.prisma.aIUsageLog.count({ where: { requestId: { in: victimAnswered } } });
    expect(unwritten).toBe(0);
    const spoolDir = join(dir, `spool-${name}`);
    expect(readdirSync(spoolDir).filter((n) => n.startsWith('journal-')).length).toBeGreaterThan(0);

    // Restarted on its spool (with the default interval): it replays what it left.
    replicas[killedIndex] = await start(name);
    const restarted = replicas[killedIndex]?.service as Service;
    expect(restarted.stdout()).toMatch(/replaying \d+ spool file/);
    let perRequest = new Map<string, number>();
    await within(10_000, async () => {
      const rows = await db.prisma.aIUsageLog.groupBy({
        by: ['requestId'],
        where: { userId: 'p-kill' },
        _count: { _all: true },
      });
      perRequest = new Map(rows.map((r) => [r.requestId, r._count._all]));
      return (
        ok.every((r) => perRequest.has(r.requestId)) && readdirSync(spoolDir).every((n) => n === 'owner.json')
      );
    });
    // Only the restarted replica's claim on its folder is left.
    expect(readdirSync(spoolDir)).toEqual(['owner.json']);
    // Every answered call has its row, once; a call cut by the kill has at most one.
    expect(ok.filter((r) => perRequest.get(r.requestId) !== 1)).toEqual([]);
    expect([...perRequest.values()].filter((n) => n !== 1)).toEqual([]);
    expect(perRequest.size - ok.length).toBeLessThanOrEqual(cut);
  }, 240_000); // two process starts (each allowed 90 s) and 300 calls

  it('a breaker opened by failures on one replica is open on the others within a second', async () => {
    const { key } = await issue({ userId: 'p-breaker' });
    upstream.handler = () => ({
      kind: 'json',
      status: 500,
      body: { error: { message: 'down', type: 'server_error' } },
    });
    for (let i = 0; i < 5; i++) expect((await chat(replicas[0]?.url ?? '', key)).status).toBe(502);
    const others = replicas.slice(1);
    const sent = upstream.requests.length;
    // Each replica's own view of its breakers, read without calling the provider.
    const openEverywhere = async () =>
      (
        await Promise.all(
          others.map(({ url }) =>
            adminFetch<{ providers: { provider: string; breaker: string | null }[] }>(
              url,
              '/admin/usage/providers',
            ),
          ),
        )
      ).every((res) => res.body.providers.find((p) => p.provider === 'openai')?.breaker === 'open');
    expect(await within(1000, openEverywhere)).toBe(true);
    // The others skip the provider: 503 without calling it.
    for (const { url } of others) expect((await chat(url, key)).status).toBe(503);
    expect(upstream.requests.length).toBe(sent);
  });
});
