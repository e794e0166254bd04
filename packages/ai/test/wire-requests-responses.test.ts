import 'reflect-metadata';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { Test, type TestingModule } from '@nestjs/testing';
import { AiModule } from '../src/nest/ai.module.js';
import { AiRuntime } from '../src/nest/ai-runtime.js';
import type { AiService, AiWireRequest } from '../src/nest/ai-service.js';
import { anthropicFake } from '../src/testing/anthropic-fake.js';
import { FakeUpstream } from '../src/testing/fake-upstream.js';
import { openAIError, openAIFake } from '../src/testing/openai-fake.js';
import type { ChatStreamPart } from '../src/types/chat-stream-part.js';
import type { NativeBody } from '../src/types/native-body.js';
import type { UsageRecord } from '../src/usage/usage-record.js';

/** The caller's turn with the history written out: what a provider without the previous response gets. */
const EXPANDED = {
  model: 'smart',
  input: [
    { role: 'user', content: 'Hi' },
    { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Hello!' }] },
    { role: 'user', content: 'And again?' },
  ],
};
/** The same turn for the provider that holds the previous response. */
const CONTINUED = { model: 'smart', previous_response_id: 'resp_held_by_oa1', input: 'And again?' };

const body = (b: Record<string, unknown>): NativeBody => ({
  format: 'openai-responses',
  body: b,
  headers: {},
});

/** A Responses API request as the gateway makes it: `previous_response_id` only for oa1. */
function wire(overrides: Partial<AiWireRequest> = {}, translations = { count: 0 }): AiWireRequest {
  return {
    model: 'smart',
    native: body(EXPANDED),
    nativeFor: (provider) => (provider === 'oa1' ? body(CONTINUED) : undefined),
    requestType: 'responses',
    translate: () => {
      translations.count++;
      return {
        request: { model: 'smart', messages: [{ role: 'user', content: 'And again?' }] },
        warnings: [],
      };
    },
    ...overrides,
  };
}

describe('AiService with a Responses API request', () => {
  const oa1 = new FakeUpstream(openAIFake({ text: 'from oa1' }));
  const oa2 = new FakeUpstream(openAIFake({ text: 'from oa2' }));
  const local = new FakeUpstream(openAIFake({ text: 'from local' }));
  const claude = new FakeUpstream(anthropicFake());
  const rows: UsageRecord[] = [];
  let moduleRef: TestingModule;
  let ai: AiService;

  beforeAll(async () => {
    const [oa1Url, oa2Url, localUrl, claudeUrl] = await Promise.all(
      [oa1, oa2, local, claude].map((f) => f.listen()),
    );
    moduleRef = await Test.createTestingModule({
      imports: [
        AiModule.forRoot({
          env: {},
          usageSink: { enqueue: (r) => rows.push(r) },
          config: {
            providers: {
              oa1: { type: 'openai', baseUrl: `${oa1Url}/v1`, apiKey: 'sk-proj-RESPONSES1RESPONSES1' },
              oa2: { type: 'openai', baseUrl: `${oa2Url}/v1`, apiKey: 'sk-proj-RESPONSES2RESPONSES2' },
              local: { type: 'openai-compatible', baseUrl: `${localUrl}/v1` },
              claude: { type: 'anthropic', baseUrl: claudeUrl, apiKey: 'sk-ant-api03-RESPONSESRESPONSES' },
            },
            models: [{ provider: 'local', id: 'llama3.2', inputPerMTok: 0.1, outputPerMTok: 0.2 }],
            routes: {
              smart: {
                strategy: 'failover',
                targets: ['oa1/gpt-5-mini', 'oa2/gpt-5-mini', 'local/llama3.2'],
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
    await Promise.all([oa1, oa2, local, claude].map((f) => f.close()));
  });
  beforeEach(() => {
    rows.length = 0;
    for (const fake of [oa1, oa2, local, claude]) {
      fake.queue.length = 0;
      fake.requests.length = 0;
    }
  });

  it('sends the provider its own body (nativeFor) natively; the row says responses', async () => {
    const result = await ai.chat(wire(), { userId: 'u', requestId: 'resp-1' });
    expect(result.text).toBe('from oa1');
    expect(oa1.lastRequest?.path).toBe('/v1/responses');
    expect(JSON.stringify(oa1.lastBody)).toBe(JSON.stringify({ ...CONTINUED, model: 'gpt-5-mini' }));
    expect(JSON.parse(result.native?.body.toString() ?? '{}')).toMatchObject({
      object: 'response',
      previous_response_id: 'resp_held_by_oa1',
    });
    expect(rows).toMatchObject([
      {
        provider: 'oa1',
        requestType: 'responses',
        isSuccess: true,
        promptTokens: 36,
        completionTokens: 87,
        usageSource: 'reported',
      },
    ]);
  });

  it('fails over to another OpenAI provider with the shared body, then to a compatible one translated', async () => {
    oa1.enqueue(openAIError(500, 'server_error', 'Boom'));
    const result = await ai.chat(wire(), { userId: 'u', requestId: 'resp-2' });
    expect(result.text).toBe('from oa2');
    expect(JSON.stringify(oa2.lastBody)).toBe(JSON.stringify({ ...EXPANDED, model: 'gpt-5-mini' }));
    expect(rows.map((r) => [r.attempt, r.provider, r.isSuccess, r.requestType])).toEqual([
      [1, 'oa1', false, 'responses'],
      [2, 'oa2', true, 'responses'],
    ]);

    rows.length = 0;
    oa1.enqueue(openAIError(500, 'server_error', 'Boom'));
    oa2.enqueue(openAIError(503, 'server_error', 'Busy'));
    const translations = { count: 0 };
    const translated = await ai.chat(wire({}, translations), { userId: 'u', requestId: 'resp-3' });
    expect(translated.native).toBeUndefined();
    expect(translated.text).toBe('from local');
    expect(translations.count).toBe(1);
    // openai-compatible servers get the translation: their Responses support varies.
    expect(local.lastRequest?.path).toBe('/v1/chat/completions');
    expect(rows.map((r) => [r.provider, r.requestType])).toEqual([
      ['oa1', 'responses'],
      ['oa2', 'responses'],
      ['local', 'responses'],
    ]);
  });

  it('streams natively: start says so, the bytes, then finish with usage and the final Response', async () => {
    const parts: ChatStreamPart[] = [];
    const request = wire({ native: body({ ...EXPANDED, stream: true }), nativeFor: undefined });
    for await (const part of ai.stream(request, { userId: 'u' })) parts.push(part);
    expect(parts[0]).toMatchObject({ type: 'start', native: true, provider: 'oa1' });
    expect(parts.some((p) => p.type === 'raw')).toBe(true);
    const finish = parts.find((p) => p.type === 'finish');
    expect(finish).toMatchObject({
      type: 'finish',
      usage: { source: 'reported', inputTokens: { total: 36 } },
      nativeResult: { object: 'response', status: 'completed' },
    });
    expect(finish?.type === 'finish' && finish.cost).toBeDefined();
    expect(rows).toMatchObject([
      { provider: 'oa1', stream: true, requestType: 'responses', isSuccess: true },
    ]);
  });

  it('calls a wire request without requestType chat', async () => {
    await ai.chat(wire({ requestType: undefined }), { userId: 'u' });
    expect(rows).toMatchObject([{ provider: 'oa1', requestType: 'chat' }]);
  });

  it('counts tokens where the provider counts that format (countFormats), estimated elsewhere', async () => {
    const counted = await ai.countTokens({ model: 'oa1/gpt-5-mini', native: body(EXPANDED) });
    expect(counted).toMatchObject({ source: 'reported', provider: 'oa1', model: 'gpt-5-mini' });
    expect(oa1.lastRequest?.path).toBe('/v1/responses/input_tokens');
    expect(JSON.parse(counted.native?.body.toString() ?? '{}')).toMatchObject({
      object: 'response.input_tokens',
    });

    // Chat Completions has no count endpoint: oa1 speaks it but is not asked to count it.
    oa1.requests.length = 0;
    const chat = {
      format: 'openai-chat' as const,
      body: { messages: [{ role: 'user', content: 'Hi' }] },
      headers: {},
    };
    const estimated = await ai.countTokens({ model: 'oa1/gpt-5-mini', native: chat });
    expect(estimated).toMatchObject({ source: 'estimated', provider: 'oa1' });
    expect(oa1.requests).toEqual([]);

    const elsewhere = await ai.countTokens({ model: 'local/llama3.2', native: body(EXPANDED) });
    expect(elsewhere).toMatchObject({ source: 'estimated', provider: 'local' });
    expect(elsewhere.inputTokens).toBeGreaterThan(0);
    expect(local.requests).toEqual([]);

    const claudeCount = await ai.countTokens({
      model: 'claude/claude-haiku-4-5',
      native: {
        format: 'anthropic-messages',
        body: { messages: [{ role: 'user', content: 'Hi' }] },
        headers: {},
      },
    });
    expect(claudeCount).toMatchObject({ source: 'reported', provider: 'claude' });
    expect(rows).toEqual([]);
  });
});
