import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import {
  AbortedError,
  AIError,
  AuthenticationError,
  BadRequestError,
  ConnectionError,
  ModelNotFoundError,
  RateLimitError,
  TimeoutError,
  UpstreamError,
} from '../../errors/index.js';
import {
  anthropicError,
  anthropicFake,
  anthropicStreamErrorEvent,
  anthropicStreamEvents,
  FakeUpstream,
  readSseChunks,
} from '../../testing/index.js';
import type { ChatRequest, ChatStreamPart, ModelInfo } from '../../types/index.js';
import { expectCallerSignalLetGo } from '../__fixtures__/caller-signal-checks.js';
import { AnthropicProvider } from './anthropic-provider.js';

const KEY = 'sk-ant-api03-SECRETSECRETSECRET1234';
const MODEL = 'claude-sonnet-5-5';
const fixture = (name: string) => readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8');
const CATALOG: ModelInfo[] = [
  {
    provider: 'anthropic',
    id: MODEL,
    capabilities: {
      chat: true,
      streaming: true,
      tools: true,
      vision: true,
      jsonOutput: true,
      embeddings: false,
      reasoning: true,
    },
  },
];

let upstream: FakeUpstream;
let provider: AnthropicProvider;

beforeEach(async () => {
  upstream = new FakeUpstream(anthropicFake({ apiKey: KEY }));
  await upstream.listen();
  provider = new AnthropicProvider({
    name: 'anthropic',
    apiKey: KEY,
    baseUrl: upstream.url,
    headers: { 'x-gateway': 'aigw' },
    models: () => CATALOG,
  });
});

afterEach(async () => {
  await upstream.close();
});

const ask = (content: string, extra: Partial<ChatRequest> = {}): ChatRequest => ({
  model: MODEL,
  messages: [{ role: 'user', content }],
  ...extra,
});

async function collect(parts: AsyncIterable<ChatStreamPart>): Promise<ChatStreamPart[]> {
  const out: ChatStreamPart[] = [];
  for await (const part of parts) out.push(part);
  return out;
}

/** Runs `work`, expecting it to fail with an AIError, and returns that error. */
async function failure(work: () => Promise<unknown>): Promise<AIError> {
  try {
    await work();
  } catch (error) {
    expect(error).toBeInstanceOf(AIError);
    return error as AIError;
  }
  throw new Error('expected the call to fail');
}

describe('AnthropicProvider.chat', () => {
  it('answers a text prompt and sends the key, version and headers the SDK sends', async () => {
    upstream.enqueue({ kind: 'json', body: JSON.parse(fixture('message-text.json')) });
    const result = await provider.chat(ask('Capital of France?'));

    expect(result).toEqual({
      provider: 'anthropic',
      model: 'claude-sonnet-5-5-20260915',
      id: 'msg_01XFDUDYJgAACzvnptvVoYEL',
      text: 'Paris is the capital of France.',
      toolCalls: [],
      finishReason: { unified: 'stop', raw: 'end_turn' },
      usage: expect.objectContaining({
        inputTokens: { total: 4369, noCache: 14, cacheRead: 2304, cacheWrite: 2051, cacheWrite1h: 0 },
        outputTokens: { total: 11, text: 11, reasoning: 0 },
        source: 'reported',
      }),
      warnings: [],
    });
    const request = upstream.lastRequest;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/v1/messages');
    // SDK 1.x sends the key as a bearer token (API 2026-10-21), not as x-api-key.
    expect(request?.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(request?.headers['anthropic-version']).toBe('2026-10-21');
    expect(request?.headers['x-gateway']).toBe('aigw');
    // No SDK retries: they belong to our own layer.
    expect(request?.headers['x-stainless-retry-count']).toBe('0');
    expect(upstream.lastBody).toEqual({
      model: MODEL,
      max_tokens: 4096,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Capital of France?' }] }],
      stream: false,
    });
  });

  it('sends system messages as the top-level system prompt', async () => {
    await provider.chat({
      model: MODEL,
      messages: [
        { role: 'system', content: 'You are a pirate.' },
        { role: 'user', content: 'Hello' },
      ],
    });
    expect(upstream.lastBody.system).toBe('You are a pirate.');
    expect(upstream.lastBody.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Hello' }] },
    ]);
  });

  it('sends a multi-turn conversation in alternating turns', async () => {
    await provider.chat({
      model: MODEL,
      messages: [
        { role: 'user', content: 'My name is Ada.' },
        { role: 'assistant', content: 'Hello Ada!' },
        { role: 'user', content: 'What is my name?' },
      ],
      maxTokens: 100,
      stop: ['\n\nHuman:'],
    });
    expect(upstream.lastBody).toMatchObject({
      max_tokens: 100,
      stop_sequences: ['\n\nHuman:'],
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'My name is Ada.' }] },
        { role: 'assistant', content: [{ type: 'text', text: 'Hello Ada!' }] },
        { role: 'user', content: [{ type: 'text', text: 'What is my name?' }] },
      ],
    });
  });

  it('sends tools in Anthropic form and round-trips a tool call', async () => {
    const tools = [
      {
        name: 'get_weather',
        description: 'Current weather for a city',
        parameters: { type: 'object', properties: { location: { type: 'string' } }, required: ['location'] },
      },
    ];
    upstream.handler = anthropicFake({
      apiKey: KEY,
      text: 'Let me look.',
      toolCalls: [{ id: 'toolu_01A', name: 'get_weather', input: { location: 'Paris' } }],
    });
    const first = await provider.chat(ask('Weather in Paris?', { tools, toolChoice: 'auto' }));

    expect(upstream.lastBody).toMatchObject({
      tools: [
        {
          name: 'get_weather',
          description: 'Current weather for a city',
          input_schema: {
            type: 'object',
            properties: { location: { type: 'string' } },
            required: ['location'],
          },
        },
      ],
      tool_choice: { type: 'auto' },
    });
    expect(first.text).toBe('Let me look.');
    expect(first.toolCalls).toEqual([
      { id: 'toolu_01A', name: 'get_weather', arguments: '{"location":"Paris"}' },
    ]);
    expect(first.finishReason).toEqual({ unified: 'tool-calls', raw: 'tool_use' });

    upstream.handler = anthropicFake({ apiKey: KEY, text: 'It is 18°C in Paris.' });
    const second = await provider.chat({
      model: MODEL,
      tools,
      messages: [
        { role: 'user', content: 'Weather in Paris?' },
        { role: 'assistant', content: first.text, toolCalls: first.toolCalls },
        { role: 'tool', toolCallId: 'toolu_01A', name: 'get_weather', content: '{"temp_c":18}' },
      ],
    });
    expect(second.text).toBe('It is 18°C in Paris.');
    expect(upstream.lastBody.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Weather in Paris?' }] },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Let me look.' },
          { type: 'tool_use', id: 'toolu_01A', name: 'get_weather', input: { location: 'Paris' } },
        ],
      },
      {
        role: 'user',
        content: [{ type: 'tool_result', tool_use_id: 'toolu_01A', content: '{"temp_c":18}' }],
      },
    ]);
  });

  it('returns thinking as reasoning, with thinking tokens in the usage', async () => {
    upstream.enqueue({ kind: 'json', body: JSON.parse(fixture('message-thinking-tool-use.json')) });
    const result = await provider.chat(ask('Weather in Paris?'));
    expect(result.reasoning).toBe('The user wants the weather in Paris. I should call get_weather.');
    expect(result.reasoningParts).toEqual([
      {
        type: 'reasoning',
        text: 'The user wants the weather in Paris. I should call get_weather.',
        signature: 'EqQBCkYIBxgCKkBd8fakesignature',
      },
    ]);
    expect(result.text).toBe('Let me check the weather.');
    expect(result.toolCalls).toEqual([
      {
        id: 'toolu_01A09q90qw90lq917835lq9',
        name: 'get_weather',
        arguments: '{"location":"Paris","unit":"celsius"}',
      },
    ]);
    expect(result.usage.outputTokens).toEqual({ total: 180, text: 68, reasoning: 112 });
    expect(result.usage.inputTokens).toEqual({
      total: 412,
      noCache: 412,
      cacheRead: undefined,
      cacheWrite: undefined,
    });
  });

  it('sends images by URL and as base64', async () => {
    await provider.chat({
      model: MODEL,
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Compare.' },
            { type: 'image', url: 'https://example.com/a.jpg' },
            { type: 'image', data: '/9j/4AAQSkZJRg==', mediaType: 'image/jpeg' },
          ],
        },
      ],
    });
    expect(upstream.lastBody.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Compare.' },
          { type: 'image', source: { type: 'url', url: 'https://example.com/a.jpg' } },
          { type: 'image', source: { type: 'base64', media_type: 'image/jpeg', data: '/9j/4AAQSkZJRg==' } },
        ],
      },
    ]);
  });

  it('leaves out what the API rejects and says so in warnings', async () => {
    // The fake answers 400 to temperature, as API 2026-10-21 does.
    const result = await provider.chat(ask('Hi', { temperature: 0.3, responseFormat: { type: 'json' } }));
    expect(upstream.lastBody).not.toHaveProperty('temperature');
    expect(upstream.lastBody.system).toMatch(/valid JSON object/);
    expect(result.warnings).toEqual([
      expect.stringMatching(/^temperature is not supported/),
      expect.stringMatching(/^responseFormat json/),
    ]);
  });

  it('sends a JSON schema as structured output', async () => {
    const schema = { type: 'object', properties: { city: { type: 'string' } }, additionalProperties: false };
    await provider.chat(
      ask('Capital of France?', { responseFormat: { type: 'json-schema', name: 'city', schema } }),
    );
    expect(upstream.lastBody.output_config).toEqual({ format: { type: 'json_schema', schema } });
  });
});

describe('AnthropicProvider.chatStream', () => {
  const textUsage = {
    inputTokens: { total: 4369, noCache: 14, cacheRead: 2304, cacheWrite: 2051, cacheWrite1h: 0 },
    outputTokens: { total: 11, text: 11, reasoning: 0 },
    source: 'reported',
  };

  it('streams text: start, deltas, then finish with usage including cache tokens', async () => {
    upstream.enqueue({ kind: 'sse', events: readSseChunks(fixture('stream-text.chunks.txt')) });
    const parts = await collect(provider.chatStream(ask('Capital of France?')));

    expect(upstream.lastBody.stream).toBe(true);
    expect(parts).toEqual([
      { type: 'start', id: 'msg_01XFDUDYJgAACzvnptvVoYEL', model: 'claude-sonnet-5-5-20260915' },
      { type: 'text-delta', delta: 'Paris is' },
      { type: 'text-delta', delta: ' the capital' },
      { type: 'text-delta', delta: ' of France.' },
      {
        type: 'finish',
        finishReason: { unified: 'stop', raw: 'end_turn' },
        usage: expect.objectContaining(textUsage),
      },
    ]);
  });

  it('streams a tool call: tool-call-start, argument deltas, tool-calls finish', async () => {
    upstream.enqueue({ kind: 'sse', events: readSseChunks(fixture('stream-tool-use.chunks.txt')) });
    const parts = await collect(provider.chatStream(ask('Weather in Paris?')));

    expect(parts).toEqual([
      { type: 'start', id: 'msg_014p7gG3wDgGV9EUtLvnow3U', model: 'claude-sonnet-5-5-20260915' },
      { type: 'text-delta', delta: 'Checking the' },
      { type: 'text-delta', delta: ' weather.' },
      // Content block 1, but the first tool call: index 0.
      { type: 'tool-call-start', index: 0, id: 'toolu_01T1x1fJ34qAmk2tNTrN7Up6', name: 'get_weather' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '{"location":' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: ' "Paris"}' },
      {
        type: 'finish',
        finishReason: { unified: 'tool-calls', raw: 'tool_use' },
        // message_delta sent null for all but output_tokens: the counts of message_start stand.
        usage: expect.objectContaining({
          inputTokens: { total: 2272, noCache: 472, cacheRead: 1800, cacheWrite: 0, cacheWrite1h: 0 },
          outputTokens: { total: 89, text: 89, reasoning: 0 },
        }),
      },
    ]);
  });

  it('streams thinking as reasoning deltas and numbers tool calls from 0', async () => {
    upstream.handler = anthropicFake({
      apiKey: KEY,
      thinking: 'Two cities.',
      text: 'On it.',
      toolCalls: [
        { id: 'toolu_1', name: 'get_weather', input: { location: 'Paris' } },
        { id: 'toolu_2', name: 'get_weather', input: { location: 'Rome' } },
      ],
      chunkSize: 100,
      usage: { output_tokens: 60, output_tokens_details: { thinking_tokens: 20 } },
    });
    const parts = await collect(provider.chatStream(ask('Paris and Rome?')));

    expect(parts.map((p) => p.type)).toEqual([
      'start',
      'reasoning-delta',
      'reasoning-signature',
      'text-delta',
      'tool-call-start',
      'tool-call-delta',
      'tool-call-start',
      'tool-call-delta',
      'finish',
    ]);
    expect(parts[1]).toEqual({ type: 'reasoning-delta', delta: 'Two cities.' });
    // The signature closes the thinking block: a tool loop replays the block with it.
    expect(parts[2]).toEqual({ type: 'reasoning-signature', signature: 'EqQBCkYIBxgCKkDfake' });
    expect(parts.filter((p) => p.type === 'tool-call-start')).toEqual([
      { type: 'tool-call-start', index: 0, id: 'toolu_1', name: 'get_weather' },
      { type: 'tool-call-start', index: 1, id: 'toolu_2', name: 'get_weather' },
    ]);
    expect(parts.at(-1)).toMatchObject({ usage: { outputTokens: { total: 60, text: 40, reasoning: 20 } } });
  });

  it('keeps usage per call: concurrent streams do not mix their counts', async () => {
    upstream.handler = (request) => {
      const model = (request.body as { model: string }).model;
      const input = model === 'model-a' ? 100 : 200;
      return anthropicFake({
        apiKey: KEY,
        eventDelayMs: 5,
        usage: { input_tokens: input, output_tokens: input / 10 },
      })(request);
    };
    const [a, b] = await Promise.all([
      collect(provider.chatStream(ask('a', { model: 'model-a' }))),
      collect(provider.chatStream(ask('b', { model: 'model-b' }))),
    ]);
    expect(a.at(-1)).toMatchObject({ usage: { inputTokens: { noCache: 100 }, outputTokens: { total: 10 } } });
    expect(b.at(-1)).toMatchObject({ usage: { inputTokens: { noCache: 200 }, outputTokens: { total: 20 } } });
  });

  it('throws a retryable UpstreamError on an overloaded_error event mid-stream, after the parts before it', async () => {
    const events = anthropicStreamEvents({ text: 'Hello there, world' }, MODEL);
    // message_start, content_block_start, ping, one delta, then the error.
    upstream.enqueue({
      kind: 'sse',
      events: [...events.slice(0, 4), anthropicStreamErrorEvent('overloaded_error', 'Overloaded')],
    });
    const parts: ChatStreamPart[] = [];
    const error = await failure(async () => {
      for await (const part of provider.chatStream(ask('Hi'))) parts.push(part);
    });
    expect(parts.map((p) => p.type)).toEqual(['start', 'text-delta']);
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error.retryable).toBe(true);
    expect(error.details).toMatchObject({ provider: 'anthropic', upstreamCode: 'overloaded_error' });
    expect(error.message).toBe('anthropic: Overloaded');
  });

  it('maps other in-stream error types by their type', async () => {
    const events = anthropicStreamEvents({}, MODEL).slice(0, 1);
    upstream.enqueue({
      kind: 'sse',
      events: [...events, anthropicStreamErrorEvent('invalid_request_error', 'Bad input')],
    });
    const error = await failure(() => collect(provider.chatStream(ask('Hi'))));
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error.retryable).toBe(false);
  });

  it('treats a stream that ends without message_stop as cut', async () => {
    const events = anthropicStreamEvents({}, MODEL);
    upstream.enqueue({ kind: 'sse', events: events.slice(0, -2) });
    const error = await failure(() => collect(provider.chatStream(ask('Hi'))));
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error.message).toMatch(/stream ended early/);
    expect(error.retryable).toBe(true);
  });

  it('fails retryably when the connection drops mid-stream', async () => {
    upstream.enqueue({ kind: 'sse', events: anthropicStreamEvents({}, MODEL), dropAfter: 4 });
    const error = await failure(() => collect(provider.chatStream(ask('Hi'))));
    expect(error.retryable).toBe(true);
  });

  it('maps an HTTP error before the stream starts', async () => {
    upstream.enqueue(anthropicError(429, 'rate_limit_error', 'Slow down', { 'retry-after': '7' }));
    const error = await failure(() => collect(provider.chatStream(ask('Hi'))));
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error.details.retryAfterMs).toBe(7000);
  });

  it('throws AbortedError when the caller cancels a slow stream', async () => {
    upstream.handler = anthropicFake({ apiKey: KEY, text: 'a slow answer', chunkSize: 4, eventDelayMs: 100 });
    const controller = new AbortController();
    const parts: ChatStreamPart[] = [];
    const error = await failure(async () => {
      for await (const part of provider.chatStream(ask('Hi', { signal: controller.signal }))) {
        parts.push(part);
        if (part.type === 'text-delta') controller.abort();
      }
    });
    expect(error).toBeInstanceOf(AbortedError);
    expect(error.retryable).toBe(false);
    expect(parts.some((p) => p.type === 'finish')).toBe(false);
  });

  it("names the requested model when the upstream's answer names none", async () => {
    const fake = anthropicFake({ apiKey: KEY });
    upstream.handler = async (request) => {
      const reply = await fake(request);
      if (reply.kind === 'json') {
        const { model: _dropped, ...body } = reply.body as Record<string, unknown>;
        return { ...reply, body };
      }
      if (reply.kind === 'sse') {
        return { ...reply, events: reply.events.map((e: string) => e.replace(/"model":"[^"]*",?/g, '')) };
      }
      return reply;
    };
    expect((await provider.chat(ask('Hi'))).model).toBe(MODEL);
    const [start] = await collect(provider.chatStream(ask('Hi')));
    expect(start).toMatchObject({ type: 'start', model: MODEL });
  });

  it('throws TimeoutError when a stream outlasts timeoutMs', async () => {
    upstream.handler = anthropicFake({ apiKey: KEY, text: 'a slow answer', chunkSize: 4, eventDelayMs: 100 });
    const error = await failure(() => collect(provider.chatStream(ask('Hi', { timeoutMs: 250 }))));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error.retryable).toBe(true);
  });
});

describe('AnthropicProvider errors', () => {
  it.each([
    [401, 'authentication_error', AuthenticationError, false],
    [400, 'invalid_request_error', BadRequestError, false],
    [404, 'not_found_error', ModelNotFoundError, false],
    [429, 'rate_limit_error', RateLimitError, true],
    [500, 'api_error', UpstreamError, true],
    [529, 'overloaded_error', UpstreamError, true],
  ] as const)('maps %i %s to %p (retryable: %s)', async (status, type, errorClass, retryable) => {
    upstream.enqueue(anthropicError(status, type, `Upstream says ${type}`, { 'retry-after': '7' }));
    const error = await failure(() => provider.chat(ask('Hi')));
    expect(error).toBeInstanceOf(errorClass);
    expect(error.retryable).toBe(retryable);
    expect(error.details).toMatchObject({ status, provider: 'anthropic', upstreamCode: type });
    expect(error.message).toBe(`anthropic: Upstream says ${type}`);
    expect(JSON.stringify(error)).not.toContain(KEY);
  });

  it('takes retryAfterMs from retry-after: 7', async () => {
    upstream.enqueue(
      anthropicError(429, 'rate_limit_error', 'Number of requests has exceeded your rate limit', {
        'retry-after': '7',
      }),
    );
    const error = await failure(() => provider.chat(ask('Hi')));
    expect(error.details.retryAfterMs).toBe(7000);
  });

  it('rejects a wrong key as the API does', async () => {
    const wrong = new AnthropicProvider({
      name: 'anthropic',
      apiKey: 'sk-ant-api03-WRONGWRONGWRONG9876',
      baseUrl: upstream.url,
      models: () => [],
    });
    const error = await failure(() => wrong.chat(ask('Hi')));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.message).toBe('anthropic: invalid x-api-key');
  });

  it('never puts the key in an error, even when the upstream echoes it', async () => {
    upstream.enqueue(anthropicError(401, 'authentication_error', `invalid x-api-key: ${KEY}`));
    const error = await failure(() => provider.chat(ask('Hi')));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.message).not.toContain(KEY);
    expect(error.message).not.toContain('SECRETSECRETSECRET');
    expect(JSON.stringify(error)).not.toContain('SECRETSECRETSECRET');
    expect(String(error.stack)).not.toContain('SECRETSECRETSECRET');
  });

  it('keeps the key out of in-stream error messages too', async () => {
    const start = anthropicStreamEvents({}, MODEL).slice(0, 1);
    upstream.enqueue({
      kind: 'sse',
      events: [...start, anthropicStreamErrorEvent('api_error', `failed for ${KEY}`)],
    });
    const error = await failure(() => collect(provider.chatStream(ask('Hi'))));
    expect(JSON.stringify(error)).not.toContain('SECRETSECRETSECRET');
    expect(error.message).not.toContain('SECRETSECRETSECRET');
  });

  it('throws AbortedError for a call cancelled before it starts', async () => {
    const controller = new AbortController();
    controller.abort();
    const error = await failure(() => provider.chat(ask('Hi', { signal: controller.signal })));
    expect(error).toBeInstanceOf(AbortedError);
  });

  it("lets go of the caller's signal once a timed call ends: answered, streamed, stopped by its reader, failed", async () => {
    await expectCallerSignalLetGo(provider, ask('Hi'), () =>
      upstream.enqueue({
        kind: 'json',
        status: 500,
        body: { type: 'error', error: { type: 'api_error', message: 'x' } },
      }),
    );
  });

  it('throws TimeoutError when the answer takes longer than timeoutMs', async () => {
    upstream.enqueue({ kind: 'json', body: JSON.parse(fixture('message-text.json')), delayMs: 400 });
    const error = await failure(() => provider.chat(ask('Hi', { timeoutMs: 100 })));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error.retryable).toBe(true);
  });

  it('throws ConnectionError when the upstream cannot be reached', async () => {
    await upstream.close();
    const error = await failure(() => provider.chat(ask('Hi')));
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error.retryable).toBe(true);
  });
});

describe('AnthropicProvider identity, models and health', () => {
  it('is named from its settings, has no embeddings, and lists the catalog models', () => {
    expect(provider.type).toBe('anthropic');
    expect(provider.name).toBe('anthropic');
    expect(provider.displayName).toBe('Anthropic');
    expect(
      new AnthropicProvider({ name: 'claude', displayName: 'Claude', models: () => [] }).displayName,
    ).toBe('Claude');
    expect('embed' in provider).toBe(false);
    expect(provider.listModels()).toBe(CATALOG);
  });

  it('checks health with one cheap GET /v1/models', async () => {
    const health = await provider.healthCheck();
    expect(health.ok).toBe(true);
    expect(health.error).toBeUndefined();
    expect(health.latencyMs).toBeGreaterThanOrEqual(0);
    expect(upstream.lastRequest).toMatchObject({ method: 'GET', path: '/v1/models?limit=1' });
  });

  it('reports an unhealthy upstream without throwing, and without the key', async () => {
    upstream.enqueue(anthropicError(401, 'authentication_error', `invalid x-api-key ${KEY}`));
    const health = await provider.healthCheck();
    expect(health.ok).toBe(false);
    expect(health.error).toMatch(/^anthropic: invalid x-api-key/);
    expect(health.error).not.toContain('SECRETSECRETSECRET');

    await upstream.close();
    const down = await provider.healthCheck();
    expect(down.ok).toBe(false);
    expect(down.error).toMatch(/could not reach/);
  });
});
