import { randomUUID } from 'node:crypto';
import { AiRuntime, ProviderRegistry, RedisLimitStore, worstCaseChatCost } from '@aigw/ai';
import { openAIFake } from '@aigw/ai/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Decimal } from 'decimal.js';
import { DatabaseService } from '../src/database/database.service.js';
import { chatCompletionRequestSchema } from '../src/gateway/openai/chat-completions.schemas.js';
import { convertOpenAIRequest } from '../src/gateway/openai/convert-openai-request.js';
import { adminFetch } from './support/admin-api.js';
import { type Gateway, startGateway, startReplica } from './support/gateway.js';
import type { RunningApp } from './support/start-app.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
// One prefix for this file, removed at the end: other runs sharing the Redis never collide.
const REDIS_KEY_PREFIX = `aigw-test-${randomUUID()}:`;

describe('two gateway instances sharing Redis (and one database) enforce one limit together', () => {
  let a: Gateway;
  let b: RunningApp;

  beforeAll(async () => {
    a = await startGateway({ REDIS_URL, REDIS_KEY_PREFIX });
    // A second replica: same database, same upstreams, same Redis.
    b = await startReplica(a, { REDIS_URL, REDIS_KEY_PREFIX });
  });

  afterAll(async () => {
    await b?.close();
    await a?.close();
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

  it("counts a key's requests on both instances against one rpmLimit", async () => {
    const { key } = await a.issueKey('xena', { rpmLimit: 6 });
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push(await chat(i % 2 ? a.url : b.url, key));
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200]);
    expect(await chat(a.url, key)).toBe(429);
    expect(await chat(b.url, key)).toBe(429);
  });

  it('lets exactly 10 of 30 concurrent calls, spread over both instances, through a budget that fits 10', async () => {
    const body = { max_tokens: 50 };
    const { request } = convertOpenAIRequest(
      chatCompletionRequestSchema.parse({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'Hi' }],
        ...body,
      }),
    );
    const catalog = a.running.app.get(ProviderRegistry).catalog;
    const worst = worstCaseChatCost(request, catalog.pricing('openai', 'gpt-4o-mini'), undefined);
    if (!worst) throw new Error('gpt-4o-mini should be priced');
    // Each call costs exactly its worst case: no settle frees room for an 11th.
    a.openai.handler = openAIFake({
      usage: {
        prompt_tokens: worst.promptTokens,
        completion_tokens: worst.outputTokens,
        total_tokens: worst.promptTokens + worst.outputTokens,
      },
    });
    const budget = new Decimal(worst.usd).mul(10);
    const { key, id } = await a.issueKey('yuri', { budgetUsd: budget.toFixed() });
    const statuses = await Promise.all(
      Array.from({ length: 30 }, (_, i) => chat(i % 2 ? a.url : b.url, key, body)),
    );
    expect(statuses.filter((s) => s === 200)).toHaveLength(10);
    expect(statuses.filter((s) => s === 402)).toHaveLength(20);
    await a.flushUsage();
    await b.app.get(AiRuntime).writer?.flush();
    const sum = await a.running.app
      .get(DatabaseService)
      .prisma.aIUsageLog.aggregate({ where: { apiKeyId: id }, _sum: { costUsd: true } });
    expect(sum._sum.costUsd?.toFixed(12)).toBe(budget.toFixed(12));
  });

  it('refuses a key revoked on one instance on the other too, within about a second, though both had it cached', async () => {
    const { key, id } = await a.issueKey('zoe');
    expect(await chat(a.url, key)).toBe(200);
    expect(await chat(b.url, key)).toBe(200);
    expect((await adminFetch(a.url, `/admin/keys/${id}`, { method: 'DELETE' })).status).toBe(200);
    expect(await chat(a.url, key)).toBe(401);
    const started = Date.now();
    let status = await chat(b.url, key);
    while (status !== 401 && Date.now() - started < 5000) {
      await new Promise((r) => setTimeout(r, 100));
      status = await chat(b.url, key);
    }
    expect(status).toBe(401);
  });
});
