import 'reflect-metadata';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { Test, type TestingModule } from '@nestjs/testing';
import { AiModule } from '../src/nest/ai.module.js';
import { AiRuntime } from '../src/nest/ai-runtime.js';
import { type AiService, type AiWireRequest } from '../src/nest/ai-service.js';
import { anthropicError, anthropicFake } from '../src/testing/anthropic-fake.js';
import { FakeUpstream } from '../src/testing/fake-upstream.js';
import { openAIFake } from '../src/testing/openai-fake.js';
import type { ChatStreamPart } from '../src/types/chat-stream-part.js';
import type { UsageRecord } from '../src/usage/usage-record.js';

/** An Anthropic-format request as a REST caller sends it, and its translation for other targets. */
function wire(body: Record<string, unknown>, translations: { count: number }): AiWireRequest {
  return {
    model: 'claude-first',
    native: { format: 'anthropic-messages', body, headers: { 'anthropic-beta': 'x-2026' } },
    translate: () => {
      translations.count++;
      return {
        request: { model: 'claude-first', messages: [{ role: 'user', content: 'Hi' }], maxTokens: 50 },
        warnings: ['thinking was not passed on'],
      };
    },
    maxTokens: 50,
  };
}

const BODY = {
  model: 'claude-first',
  max_tokens: 50,
  messages: [{ role: 'user', content: 'Hi' }],
  thinking: { type: 'enabled', budget_tokens: 20 },
};

describe('AiService with a wire request: native where the target speaks the format, else translated', () => {
  const claude = new FakeUpstream(anthropicFake());
  const gpt = new FakeUpstream(openAIFake({ text: 'from gpt' }));
  const rows: UsageRecord[] = [];
  let moduleRef: TestingModule;
  let ai: AiService;

  beforeAll(async () => {
    const [claudeUrl, gptUrl] = await Promise.all([claude.listen(), gpt.listen()]);
    moduleRef = await Test.createTestingModule({
      imports: [
        AiModule.forRoot({
          env: {},
          usageSink: { enqueue: (r) => rows.push(r) },
          config: {
            providers: {
              claude: { type: 'anthropic', baseUrl: claudeUrl, apiKey: 'sk-ant-api03-WIREWIREWIREWIRE' },
              gpt: { type: 'openai', baseUrl: `${gptUrl}/v1`, apiKey: 'sk-proj-WIREWIREWIREWIRE' },
            },
            models: [],
            routes: {
              'claude-first': {
                strategy: 'failover',
                targets: ['claude/claude-haiku-4-5', 'gpt/gpt-4o-mini'],
              },
            },
            retry: { baseDelayMs: 1, maxDelayMs: 5 },
          },
        }),
      ],
    }).compile();
    await moduleRef.init();
    ai = moduleRef.get(AiRuntime).service;
  });
  afterAll(async () => {
    await moduleRef?.close();
    await Promise.all([claude.close(), gpt.close()]);
  });
  beforeEach(() => {
    rows.length = 0;
    claude.queue.length = 0;
  });

  it('sends the body natively to the first target, and never translates it', async () => {
    const translations = { count: 0 };
    const result = await ai.chat(wire(BODY, translations), { userId: 'u', requestId: 'wire-1' });
    expect(result.native).toBeDefined();
    expect(translations.count).toBe(0);
    expect(JSON.stringify(claude.lastBody)).toBe(JSON.stringify({ ...BODY, model: 'claude-haiku-4-5' }));
    expect(claude.lastRequest?.headers['anthropic-beta']).toBe('x-2026');
    expect(rows).toMatchObject([{ provider: 'claude', requestedModel: 'claude-first', isSuccess: true }]);
  });

  it('fails over to a target of another format with the translation, made once; a row per attempt', async () => {
    claude.enqueue(anthropicError(529, 'overloaded_error', 'Overloaded'));
    const translations = { count: 0 };
    const result = await ai.chat(wire(BODY, translations), { userId: 'u', requestId: 'wire-2' });
    expect(result.native).toBeUndefined();
    expect(result.text).toBe('from gpt');
    expect(translations.count).toBe(1);
    expect(rows.map((r) => [r.attempt, r.provider, r.isSuccess])).toEqual([
      [1, 'claude', false],
      [2, 'gpt', true],
    ]);
    // What the translation could not carry is on its attempt's row.
    expect(rows[1]?.metadata).toMatchObject({ warnings: ['thinking was not passed on'] });
    expect(rows[0]?.metadata).not.toHaveProperty('warnings');
  });

  it('streams natively: start says so, then the provider bytes, then finish with usage', async () => {
    const parts: ChatStreamPart[] = [];
    for await (const part of ai.stream(wire({ ...BODY, stream: true }, { count: 0 }), { userId: 'u' })) {
      parts.push(part);
    }
    expect(parts[0]).toMatchObject({ type: 'start', native: true, provider: 'claude' });
    expect(parts.some((p) => p.type === 'raw')).toBe(true);
    expect(parts.find((p) => p.type === 'finish')).toMatchObject({
      type: 'finish',
      usage: { source: 'reported' },
    });
    expect(rows).toMatchObject([
      { provider: 'claude', stream: true, isSuccess: true, usageSource: 'reported' },
    ]);
  });

  it('counts tokens natively where the provider can, estimated elsewhere; no usage row either way', async () => {
    const native = { format: 'anthropic-messages' as const, body: BODY, headers: {} };
    const counted = await ai.countTokens({ model: 'claude/claude-haiku-4-5', native });
    expect(counted).toMatchObject({ source: 'reported', provider: 'claude' });
    const estimated = await ai.countTokens({ model: 'gpt/gpt-4o-mini', native });
    expect(estimated).toMatchObject({ source: 'estimated', provider: 'gpt' });
    expect(estimated.inputTokens).toBeGreaterThan(0);
    expect(rows).toEqual([]);
  });
});
