import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Test, type TestingModule } from '@nestjs/testing';
import type { LimitStore } from '../src/limits/limit-store.js';
import { MemoryLimitStore } from '../src/limits/memory-limit-store.js';
import { RedisLimitStore } from '../src/limits/redis-limit-store.js';
import { AiModule } from '../src/nest/ai.module.js';
import { AiRuntime } from '../src/nest/ai-runtime.js';
import { AiService } from '../src/nest/ai-service.js';
import { FakeUpstream } from '../src/testing/fake-upstream.js';
import { openAIError, openAIFake } from '../src/testing/openai-fake.js';

const ask = { messages: [{ role: 'user' as const, content: 'hi' }] };

describe.each([
  [
    'Redis',
    () =>
      RedisLimitStore.connect('redis://127.0.0.1:6379', {
        keyPrefix: `aigw-test-breaker-${process.pid}-${Date.now()}:`,
      }),
  ],
  ['one in-memory store', () => new MemoryLimitStore()],
])('circuit breaker state shared by two replicas through %s', (_label, makeStore) => {
  const failing = new FakeUpstream(() => openAIError(503, 'server_error', 'down'));
  const healthy = new FakeUpstream(openAIFake({ text: 'from backup' }));
  let store: LimitStore;
  const replicas: { module: TestingModule; ai: AiService; runtime: AiRuntime }[] = [];

  beforeAll(async () => {
    store = makeStore();
    const [bad, good] = [`${await failing.listen()}/v1`, `${await healthy.listen()}/v1`];
    for (let i = 0; i < 2; i++) {
      const module = await Test.createTestingModule({
        imports: [
          AiModule.forRoot({
            env: {},
            usageSink: { enqueue: () => {} },
            limits: { store },
            config: {
              providers: {
                flaky: { type: 'openai-compatible', baseUrl: bad, apiKey: 'k1' },
                backup: { type: 'openai-compatible', baseUrl: good, apiKey: 'k2' },
              },
              models: [],
              routes: { main: { strategy: 'failover', targets: ['flaky/m', 'backup/m'] } },
              breaker: { consecutiveFailures: 3, halfOpenAfterMs: 60_000 },
            },
          }),
        ],
      }).compile();
      await module.init();
      replicas.push({ module, ai: module.get(AiService), runtime: module.get(AiRuntime) });
    }
  });
  afterAll(async () => {
    for (const r of replicas) await r.module.close();
    if (store instanceof RedisLimitStore) await store.clear();
    await store.close();
    await failing.close();
    await healthy.close();
  });

  it('opens the breaker on one replica and the other skips the failing provider too', async () => {
    const [one, two] = replicas as [(typeof replicas)[0], (typeof replicas)[0]];
    for (let i = 0; i < 3; i++)
      expect((await one.ai.chat({ model: 'main', ...ask }, { userId: 'u' })).provider).toBe('backup');
    expect(one.runtime.breakers.states().flaky).toBe('open');

    await new Promise((r) => setTimeout(r, 50)); // the mark is written in the background
    await two.runtime.breakerSync.poll();
    expect(two.runtime.breakers.states().flaky).toBe('open');
    const before = failing.requests.length;
    expect((await two.ai.chat({ model: 'main', ...ask }, { userId: 'u' })).provider).toBe('backup');
    expect(failing.requests.length).toBe(before);
  });
});
