import { describe, expect, it } from '@jest/globals';
import { AIError } from '../errors/ai-error.js';
import { RateLimitError } from '../errors/errors.js';
import type { CallInfo } from '../pipeline/call-interceptor.js';
import { CallPipeline } from '../pipeline/call-pipeline.js';
import type { IAIProvider } from '../types/ai-provider.js';
import type { ChatResult } from '../types/chat-result.js';
import type { LimitStore } from './limit-store.js';
import { MemoryLimitStore } from './memory-limit-store.js';
import { RateLimitInterceptor } from './rate-limit-interceptor.js';

const result: ChatResult = {
  provider: 'p',
  model: 'm',
  text: 'ok',
  toolCalls: [],
  finishReason: { unified: 'stop', raw: 'stop' },
  warnings: [],
  usage: {
    inputTokens: { total: 40, noCache: 40, cacheRead: 0, cacheWrite: 0, cacheWrite1h: 0 },
    outputTokens: { total: 10, text: 10, reasoning: 0 },
    source: 'reported',
  },
};
let sent = 0;
const provider = {
  name: 'p',
  chat: async () => {
    sent++;
    return result;
  },
} as unknown as IAIProvider;
const call = (): CallInfo => ({
  requestId: 'r',
  attempt: 1,
  context: { userId: 'u' },
  requestedModel: 'p/m',
  provider,
  model: 'm',
  requestType: 'chat',
  stream: false,
  startedAt: Date.now(),
});
const request = { model: 'm', messages: [{ role: 'user' as const, content: 'Hi' }] };

describe('RateLimitInterceptor', () => {
  it("gives back a call's request and tokens when a budget further in refuses it", async () => {
    const store = new MemoryLimitStore();
    const refusing = {
      wrapChat: async () => {
        throw new AIError('budget_exceeded', 'over budget', { retryable: false });
      },
    };
    const pipeline = new CallPipeline([
      new RateLimitInterceptor(store, { p: { rpmLimit: 1, tpmLimit: 1000 } }),
      refusing,
    ]);
    const keyed = {
      ...call(),
      context: { userId: 'u', limits: { tokenRates: [{ scope: 'key' as const, id: 'k', tpmLimit: 100 }] } },
    };
    for (let i = 0; i < 3; i++)
      await expect(pipeline.chat(keyed, request)).rejects.toMatchObject({ code: 'budget_exceeded' });
    // Nothing stayed counted: the whole limit is still there.
    expect(await store.hit('provider:p:rpm', 1, 1, 60_000)).toMatchObject({ allowed: true });
    expect(await store.hit('key:k:tpm', 100, 100, 60_000)).toMatchObject({ allowed: true });
  });

  it('refuses past rpmLimit with a retryable RateLimitError, without sending the call', async () => {
    const pipeline = new CallPipeline([
      new RateLimitInterceptor(new MemoryLimitStore(), { p: { rpmLimit: 2 } }),
    ]);
    sent = 0;
    await pipeline.chat(call(), request);
    await pipeline.chat(call(), request);
    const error = await pipeline.chat(call(), request).catch((e) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error).toMatchObject({ retryable: true, details: { provider: 'p' } });
    expect(error.details.retryAfterMs).toBeGreaterThan(0);
    expect(sent).toBe(2);
  });

  it('counts real tokens after the call, and a tpm refusal does not use up a request', async () => {
    const store = new MemoryLimitStore();
    const pipeline = new CallPipeline([
      new RateLimitInterceptor(store, { p: { rpmLimit: 10, tpmLimit: 120 } }),
    ]);
    await pipeline.chat(call(), request);
    await pipeline.chat(call(), request);
    // 100 real tokens counted: the next prompt estimate (~8) still fits 120, the one after not.
    await pipeline.chat(call(), request);
    await expect(pipeline.chat(call(), request)).rejects.toThrow(/tpmLimit/);
    expect(await store.hit('provider:p:rpm', 0, 10, 60_000)).toMatchObject({ remaining: 7 });
  });

  it('leaves providers without limits alone, and lets calls through when the store fails', async () => {
    const broken = {
      hit: async () => Promise.reject(new Error('redis down')),
      adjust: async () => Promise.reject(new Error('redis down')),
    } as unknown as LimitStore;
    const warnings: string[] = [];
    const pipeline = new CallPipeline([
      new RateLimitInterceptor(
        broken,
        { p: { rpmLimit: 1, tpmLimit: 1 } },
        { logger: { warn: (m) => warnings.push(m) } },
      ),
    ]);
    await expect(pipeline.chat(call(), request)).resolves.toBe(result);
    expect(warnings[0]).toMatch(/not checked \(the limit store failed\): redis down/);
    const unlimited = new CallPipeline([new RateLimitInterceptor(broken, { other: { rpmLimit: 1 } })]);
    await expect(unlimited.chat(call(), request)).resolves.toBe(result);
  });
});
