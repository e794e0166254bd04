import { randomUUID } from 'node:crypto';
import { AiRuntime, RedisLimitStore } from '@aigw/ai';
import { openAIFake } from '@aigw/ai/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Decimal } from 'decimal.js';
import { DatabaseService } from '../src/database/database.service.js';
import { adminFetch } from './support/admin-api.js';
import { type Gateway, startGateway, startReplica } from './support/gateway.js';
import type { RunningApp } from './support/start-app.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
// One prefix for this file, removed at the end: other runs sharing the Redis never collide.
const REDIS_KEY_PREFIX = `aigw-test-${randomUUID()}:`;
const usage = (prompt: number, completion: number) => ({
  prompt_tokens: prompt,
  completion_tokens: completion,
  total_tokens: prompt + completion,
});

/**
 * Three gateway replicas in one process, sharing one Redis and one PostgreSQL, with one
 * fake upstream behind them; calls go round-robin over them (a load balancer's view).
 */
describe('three replicas sharing Redis and PostgreSQL hold limits, budgets, breakers and revocations together', () => {
  let first: Gateway;
  const others: RunningApp[] = [];
  let urls: string[] = [];
  let turn = 0;
  const next = () => urls[turn++ % urls.length] as string;

  beforeAll(async () => {
    const shared = { REDIS_URL, REDIS_KEY_PREFIX };
    first = await startGateway(shared);
    for (let i = 0; i < 2; i++) others.push(await startReplica(first, shared));
    urls = [first.url, ...others.map((o) => o.url)];
  }, 180_000);
  afterAll(async () => {
    await Promise.all(others.map((o) => o.close()));
    await first?.close();
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
    return res.status;
  };
  const issue = async (body: Record<string, unknown>) =>
    (await adminFetch<{ id: string; key: string }>(next(), '/admin/keys', { method: 'POST', json: body }))
      .body;

  it('an rpm limit admits no more than its limit in total', async () => {
    first.openai.handler = openAIFake({ usage: usage(5, 5) });
    const { key } = await issue({ userId: 'r-rpm', rpmLimit: 6 });
    const statuses = await Promise.all(Array.from({ length: 18 }, () => chat(next(), key)));
    expect(statuses.filter((s) => s === 200)).toHaveLength(6);
    expect(statuses.filter((s) => s === 429)).toHaveLength(12);
  });

  it('a tpm limit admits no more than its limit in total', async () => {
    first.openai.handler = openAIFake({ usage: usage(21, 60) });
    const { key } = await issue({ userId: 'r-tpm', tpmLimit: 200 });
    // Each call counts 81 tokens once done: the third, on a third replica, is the last that fits.
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push(await chat(next(), key));
    expect(statuses).toEqual([200, 200, 200, 429, 429, 429]);
  });

  it('a tight team budget is overrun by at most one call, and each call is exactly one row', async () => {
    // gpt-4o: 21 prompt + 12000 output tokens = $0.1200525 a call; each may cost $0.16.
    first.openai.handler = openAIFake({ usage: usage(21, 12_000) });
    const team = (
      await adminFetch<{ id: string }>(next(), '/admin/teams', {
        method: 'POST',
        json: {
          name: `replicas-${randomUUID().slice(0, 8)}`,
          budgets: [{ amountUsd: '1', period: 'monthly' }],
        },
      })
    ).body;
    const keys = await Promise.all([0, 1, 2].map((i) => issue({ userId: `r-team-${i}`, teamId: team.id })));
    const statuses = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        chat(next(), (keys[i % 3] as { key: string }).key, { model: 'gpt-4o', max_tokens: 16_000 }),
      ),
    );
    const ok = statuses.filter((s) => s === 200).length;
    expect(ok + statuses.filter((s) => s === 402).length).toBe(30);
    expect(ok).toBeGreaterThanOrEqual(6);
    expect(ok).toBeLessThanOrEqual(9);
    await Promise.all([first.flushUsage(), ...others.map((o) => o.app.get(AiRuntime).writer?.flush())]);
    const prisma = first.running.app.get(DatabaseService).prisma;
    const rows = await prisma.aIUsageLog.findMany({ where: { teamId: team.id } });
    expect(rows).toHaveLength(ok);
    const spent = rows.reduce((sum, r) => sum.plus(r.costUsd?.toFixed() ?? '0'), new Decimal(0));
    expect(spent.lte(new Decimal(1).plus('0.1200525'))).toBe(true);
  });

  it('a key revoked on one replica is refused by every replica within about a second', async () => {
    first.openai.handler = openAIFake({ usage: usage(5, 5) });
    const { id, key } = await issue({ userId: 'r-revoke' });
    // Every replica has verified (and cached) the key.
    for (const url of urls) expect(await chat(url, key)).toBe(200);
    expect((await adminFetch(urls[0] as string, `/admin/keys/${id}`, { method: 'DELETE' })).status).toBe(200);
    // Each replica is asked until it refuses the key, for at most 2.5 s in all (the replicas
    // check for key changes every 250 ms; a stalled event loop on a loaded machine adds to that).
    const deadline = Date.now() + 2500;
    const refusedBy = async (url: string) => {
      for (;;) {
        const status = await chat(url, key);
        if (status === 401 || Date.now() > deadline) return status;
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    expect(await Promise.all(urls.map(refusedBy))).toEqual(urls.map(() => 401));
    // And it stays refused.
    for (const url of urls) expect(await chat(url, key)).toBe(401);
  });

  it('a breaker opened by failures on one replica is open on the others within about a second', async () => {
    const { key } = await issue({ userId: 'r-breaker' });
    first.openai.handler = () => ({
      kind: 'json',
      status: 500,
      body: { error: { message: 'down', type: 'server_error' } },
    });
    // Five failures in a row on one replica open its breaker for the openai provider.
    for (let i = 0; i < 5; i++) expect(await chat(urls[0] as string, key)).toBe(502);
    await new Promise((r) => setTimeout(r, 1500));
    const sent = first.openai.requests.length;
    // The others skip the provider without calling it: every target is paused.
    for (const url of urls.slice(1)) expect(await chat(url, key)).toBe(503);
    expect(first.openai.requests.length).toBe(sent);
  });
});
