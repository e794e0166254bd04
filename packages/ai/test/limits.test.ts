import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyMigrations, type Database, openDatabase } from '@aigw/db';
import { createTestDatabase, type TestDatabase } from '@aigw/db/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Test } from '@nestjs/testing';
import { Decimal } from 'decimal.js';
import { AIError } from '../src/errors/ai-error.js';
import { RateLimitError } from '../src/errors/errors.js';
import { limitStoreSubjects } from '../src/limits/__fixtures__/limit-store-subjects.js';
import { RedisLimitStore } from '../src/limits/redis-limit-store.js';
import { worstCaseChatCost } from '../src/limits/worst-case-cost.js';
import { AiModule } from '../src/nest/ai.module.js';
import { AiRuntime } from '../src/nest/ai-runtime.js';
import { AiService } from '../src/nest/ai-service.js';
import { type FakeReply, FakeUpstream } from '../src/testing/fake-upstream.js';
import { openAIError, openAIFake } from '../src/testing/openai-fake.js';
import type { ChatRequest } from '../src/types/chat-request.js';
import { estimatePromptTokens } from '../src/usage/estimate-tokens.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const PREFIX = `aigw-test-${randomUUID()}:`;
// Long enough for a window's calls in a row on a loaded machine (the Redis test waits it out once).
const WINDOW_MS = 4000;

afterAll(async () => {
  const store = RedisLimitStore.connect(REDIS_URL, { keyPrefix: PREFIX });
  await store.clear();
  await store.close();
});

const stores = limitStoreSubjects(() => RedisLimitStore.connect(REDIS_URL, { keyPrefix: PREFIX }));

describe.each(stores)('limits through AiService, %s', (_name, makeStore) => {
  // Prices easy to follow: $10 per 1M input tokens, $1000 per 1M output tokens ($0.001 each).
  const upstream = new FakeUpstream(openAIFake());
  const { store, wait } = makeStore();
  let testDb: TestDatabase;
  let db: Database;
  let spoolDir: string;
  let ai: AiService;
  let runtime: AiRuntime;
  let close: () => Promise<void>;

  /** What a key's usage rows say it spent. */
  const recordedSpend = async (apiKeyId: string): Promise<Decimal> => {
    await runtime.writer?.flush();
    const sum = await db.prisma.aIUsageLog.aggregate({ where: { apiKeyId }, _sum: { costUsd: true } });
    return new Decimal(sum._sum.costUsd?.toFixed() ?? '0');
  };
  const usage = (prompt: number, completion: number) => ({
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
  });
  const request = (maxTokens = 100): ChatRequest => ({
    model: 'local/budget-model',
    messages: [{ role: 'user', content: 'Hi' }],
    maxTokens,
  });
  const worstCase = (req: ChatRequest) => {
    const worst = worstCaseChatCost(
      req,
      runtime.registry.catalog.pricing('local', 'budget-model'),
      undefined,
    );
    if (!worst) throw new Error('budget-model should be priced');
    return worst;
  };
  const budgeted = (budgetUsd: string, apiKeyId = randomUUID()) => ({
    userId: 'budget-user',
    apiKeyId,
    limits: { budgetUsd },
  });
  const drain = async (parts: AsyncIterable<unknown>) => {
    for await (const _ of parts) {
      // drain
    }
  };

  beforeAll(async () => {
    testDb = await createTestDatabase();
    db = await openDatabase({ kind: 'postgres', url: testDb.url, connectionTimeoutMs: 5000, poolSize: 5 });
    await applyMigrations(db);
    spoolDir = await mkdtemp(join(tmpdir(), 'aigw-spool-'));
    const url = await upstream.listen();
    const provider = { type: 'openai-compatible' as const, preset: 'ollama' as const, baseUrl: `${url}/v1` };
    const moduleRef = await Test.createTestingModule({
      imports: [
        AiModule.forRoot({
          env: {},
          config: {
            providers: {
              local: provider,
              limited: { ...provider, rpmLimit: 3 },
              tokens: { ...provider, tpmLimit: 100 },
            },
            models: [{ provider: 'local', id: 'budget-model', inputPerMTok: 10, outputPerMTok: 1000 }],
            routes: {},
          },
          prisma: db.prisma,
          spoolDir,
          limits: { store, windowMs: WINDOW_MS },
        }),
      ],
    }).compile();
    await moduleRef.init();
    ai = moduleRef.get(AiService);
    runtime = moduleRef.get(AiRuntime);
    close = () => moduleRef.close();
  });

  afterAll(async () => {
    await close?.();
    await store.close();
    await upstream.close();
    await db?.close();
    await testDb?.drop();
    await rm(spoolDir, { recursive: true, force: true });
  });

  describe('budgets', () => {
    it('lets exactly 10 of 50 concurrent calls through a budget that fits 10 worst cases, and never spends past it', async () => {
      const req = request();
      const worst = worstCase(req);
      // Each call really costs its worst case, so no settle can free room for an 11th.
      upstream.handler = openAIFake({ usage: usage(worst.promptTokens, worst.outputTokens) });
      const budget = new Decimal(worst.usd).mul(10);
      const context = budgeted(budget.toFixed());
      const outcomes = await Promise.allSettled(
        Array.from({ length: 50 }, (_, i) =>
          i % 2 ? ai.chat(req, context) : drain(ai.stream(req, context)),
        ),
      );
      const refused = outcomes.filter((o) => o.status === 'rejected');
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(10);
      for (const o of refused) {
        expect((o as PromiseRejectedResult).reason).toBeInstanceOf(AIError);
        expect((o as PromiseRejectedResult).reason).toMatchObject({
          code: 'budget_exceeded',
          retryable: false,
        });
      }
      const spent = await recordedSpend(context.apiKeyId);
      expect(spent.toFixed(12)).toBe(budget.toFixed(12));
      await expect(ai.chat(req, context)).rejects.toMatchObject({ code: 'budget_exceeded' });
      expect(await runtime.limitStore.balance(`key:${context.apiKeyId}`)).toMatchObject({ reservedPico: 0n });
    });

    it('holds the budget while calls are in flight: at most 10 of 50 overlapping calls start, then room comes back', async () => {
      const req = request();
      const worst = worstCase(req);
      const slow = openAIFake({ usage: usage(21, 60) });
      upstream.handler = async (r) => ({ ...(slow(r) as FakeReply), delayMs: 100 }) as FakeReply;
      const budget = new Decimal(worst.usd).mul(10);
      const context = budgeted(budget.toFixed());
      const outcomes = await Promise.allSettled(Array.from({ length: 50 }, () => ai.chat(req, context)));
      const ok = outcomes.filter((o) => o.status === 'fulfilled').length;
      expect(ok).toBeGreaterThan(0);
      expect(ok).toBeLessThanOrEqual(10);
      const spent = await recordedSpend(context.apiKeyId);
      expect(spent.lte(budget)).toBe(true);
      // Settled below their worst case: the room they did not use is free again.
      await expect(ai.chat(req, context)).resolves.toMatchObject({ cost: { status: 'priced' } });
    });

    it('stops a user with a $1 budget at $1, with a message saying why and what to do', async () => {
      upstream.handler = openAIFake({ usage: usage(21, 60) });
      const req = request();
      const worst = new Decimal(worstCase(req).usd);
      const context = budgeted('1');
      let calls = 0;
      let refusal: unknown;
      while (calls < 100) {
        try {
          await ai.chat(req, context);
          calls++;
        } catch (error) {
          refusal = error;
          break;
        }
      }
      const spent = await recordedSpend(context.apiKeyId);
      // 15 x $0.06021 = $0.90315 spent; a 16th could cost up to 100 x $0.001 + its prompt: over $1.
      expect(calls).toBe(15);
      expect(spent.lte(1)).toBe(true);
      expect(spent.plus(worst).gt(1)).toBe(true);
      expect(refusal).toBeInstanceOf(AIError);
      const message = (refusal as AIError).message;
      expect(message).toContain('its budget is $1,');
      expect(message).toContain(`$${spent.toFixed()} is spent`);
      expect(message).toContain(`could cost up to $${worst.toFixed()}`);
      expect(message).toContain("An admin can raise the key's budgetUsd");
      // A smaller call still fits what is left.
      await expect(ai.chat(request(10), context)).resolves.toBeDefined();
      expect((await recordedSpend(context.apiKeyId)).lte(1)).toBe(true);
    });

    it('counts what the key spent before (its usage rows) against the budget', async () => {
      upstream.handler = openAIFake({ usage: usage(21, 60) });
      const apiKeyId = randomUUID();
      for (let i = 0; i < 3; i++) await ai.chat(request(), { userId: 'u', apiKeyId });
      const before = await recordedSpend(apiKeyId);
      expect(before.toFixed()).toBe('0.18063');
      await expect(ai.chat(request(), budgeted('0.2', apiKeyId))).rejects.toThrow(/\$0\.18063 is spent/);
      await expect(ai.chat(request(10), budgeted('0.2', apiKeyId))).resolves.toBeDefined();
    });

    it('settles a failed call at nothing and a cut stream at its estimate, leaving no reservation behind', async () => {
      const context = budgeted('10');
      const account = `key:${context.apiKeyId}`;
      upstream.enqueue(openAIError(400, 'invalid_request_error', 'Bad'));
      await expect(ai.chat(request(), context)).rejects.toMatchObject({ code: 'bad_request' });
      expect(await runtime.limitStore.balance(account)).toEqual({ spentPico: 0n, reservedPico: 0n });
      upstream.handler = openAIFake({ text: 'one two three four five six', chunkSize: 4, eventDelayMs: 10 });
      for await (const part of ai.stream(request(), context)) if (part.type === 'text-delta') break;
      const balance = await runtime.limitStore.balance(account);
      expect(balance.reservedPico).toBe(0n);
      const recorded = await recordedSpend(context.apiKeyId);
      expect(recorded.gt(0)).toBe(true);
      expect(balance.spentPico).toBe(BigInt(recorded.mul(1e12).toFixed(0)));
    });

    it('lets calls to an unpriced model through (their cost is unknown)', async () => {
      upstream.handler = openAIFake();
      await expect(
        ai.chat({ model: 'local/unpriced', messages: [{ role: 'user', content: 'x' }] }, budgeted('0')),
      ).resolves.toMatchObject({ cost: { status: 'unpriced' } });
      await expect(ai.chat(request(), budgeted('0'))).rejects.toMatchObject({ code: 'budget_exceeded' });
    });
  });

  describe('provider limits from the config', () => {
    it('refuses the request past rpmLimit with a retryable RateLimitError, and allows again after the window', async () => {
      upstream.handler = openAIFake();
      const req = { model: 'limited/m', messages: [{ role: 'user' as const, content: 'x' }] };
      for (let i = 0; i < 3; i++) await ai.chat(req, { userId: 'u' });
      const refusal = await ai.chat(req, { userId: 'u' }).catch((e) => e);
      expect(refusal).toBeInstanceOf(RateLimitError);
      expect(refusal.retryable).toBe(true);
      expect(refusal.message).toMatch(
        /"limited" is at its configured limit of 3 requests per 4 s \(rpmLimit/,
      );
      expect(refusal.details.retryAfterMs).toBeGreaterThan(0);
      expect(refusal.details.retryAfterMs).toBeLessThanOrEqual(WINDOW_MS);
      await wait(refusal.details.retryAfterMs + 50);
      await expect(ai.chat(req, { userId: 'u' })).resolves.toBeDefined();
    });

    it('counts the prompt estimate before the call and the real tokens after it against tpmLimit', async () => {
      upstream.handler = openAIFake({ usage: usage(21, 9) });
      const messages = [{ role: 'user' as const, content: 'Hi' }];
      const estimate = estimatePromptTokens(messages);
      // After k calls the window holds 30k real tokens; the next one fits while 30k + estimate <= 100.
      let expected = 0;
      while (30 * expected + estimate <= 100) expected++;
      let calls = 0;
      let refusal: unknown;
      while (calls < 20) {
        try {
          await ai.chat({ model: 'tokens/m', messages }, { userId: 'u' });
          calls++;
        } catch (error) {
          refusal = error;
          break;
        }
      }
      expect(calls).toBe(expected);
      expect(refusal).toBeInstanceOf(RateLimitError);
      expect((refusal as Error).message).toContain('tpmLimit');
    });
  });
});
