import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Test, type TestingModule } from '@nestjs/testing';
import { computeCost } from '../src/cost/compute-cost.js';
import { AiModule } from '../src/nest/ai.module.js';
import { AiRuntime } from '../src/nest/ai-runtime.js';
import { AiService } from '../src/nest/ai-service.js';
import type { UsageRecord } from '../src/usage/usage-record.js';

async function start(env: Record<string, string>, rows: UsageRecord[]): Promise<TestingModule> {
  const moduleRef = await Test.createTestingModule({
    imports: [AiModule.forRoot({ env, usageSink: { enqueue: (r) => rows.push(r) } })],
  }).compile();
  await moduleRef.init();
  return moduleRef;
}

describe('a first run with no provider configured', () => {
  const rows: UsageRecord[] = [];
  let moduleRef: TestingModule;
  beforeAll(async () => {
    moduleRef = await start({}, rows);
  });
  afterAll(() => moduleRef?.close());

  it('answers through the demo provider, priced from its own price table, recorded as reported', async () => {
    const ai = moduleRef.get(AiService);
    const result = await ai.chat(
      { model: 'demo/demo-chat', messages: [{ role: 'user', content: 'Hello gateway' }] },
      { userId: 'newcomer' },
    );
    expect(result.provider).toBe('demo');
    const expected = computeCost(
      result.usage,
      moduleRef.get(AiRuntime).registry.catalog.pricing('demo', 'demo-chat'),
    );
    expect(result.cost?.usd).toBe(expected.usd);
    expect(Number(result.cost?.usd)).toBeGreaterThan(0);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      userId: 'newcomer',
      provider: 'demo',
      model: 'demo-chat',
      usageSource: 'reported',
      costUsd: expected.usd,
      isSuccess: true,
    });
  });

  it('embeds through it too', async () => {
    const ai = moduleRef.get(AiService);
    const result = await ai.embed({ model: 'demo-embed', input: ['one', 'two'] }, { userId: 'newcomer' });
    expect(result.embeddings).toHaveLength(2);
    expect(result.cost?.status).toBe('priced');
  });
});

describe('AI_DEMO_PROVIDER=false', () => {
  it('leaves the gateway with no provider at all', async () => {
    const moduleRef = await start({ AI_DEMO_PROVIDER: 'false' }, []);
    try {
      expect(moduleRef.get(AiRuntime).registry.list()).toEqual([]);
    } finally {
      await moduleRef.close();
    }
  });
});
