import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import {
  AbortedError,
  AuthenticationError,
  BadRequestError,
  ConnectionError,
  ModelNotFoundError,
  RateLimitError,
  TimeoutError,
  UpstreamError,
} from '../../errors/errors.js';
import { FakeUpstream } from '../../testing/fake-upstream.js';
import { openAIError, openAIFake } from '../../testing/openai-fake.js';
import type { ChatStreamPart } from '../../types/chat-stream-part.js';
import { expectCallerSignalLetGo } from '../__fixtures__/caller-signal-checks.js';
import { OpenAICompatibleProvider } from '../openai-compatible/openai-compatible-provider.js';
import { OPENAI_COMPATIBLE_PRESETS } from '../openai-compatible/presets.js';
import { OpenAIChatProvider } from './openai-chat-provider.js';

const KEY = 'sk-proj-SECRETSECRETSECRET0123456789';
const collect = async (stream: AsyncIterable<ChatStreamPart>) => {
  const parts: ChatStreamPart[] = [];
  for await (const part of stream) parts.push(part);
  return parts;
};

describe('OpenAIChatProvider against a fake OpenAI server', () => {
  const fake = new FakeUpstream(openAIFake());
  let provider: OpenAIChatProvider;
  let url = '';
  beforeAll(async () => {
    url = await fake.listen();
    provider = new OpenAIChatProvider({
      name: 'openai',
      apiKey: KEY,
      baseUrl: `${url}/v1`,
      models: () => [],
    });
  });
  afterAll(() => fake.close());
  beforeEach(() => {
    fake.handler = openAIFake();
    fake.requests.length = 0;
    fake.queue.length = 0;
  });

  it('sends a chat with system prompt, history and settings, and maps the answer with usage', async () => {
    const result = await provider.chat({
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Hello!' },
        { role: 'user', content: 'And again?' },
      ],
      temperature: 0.2,
      topP: 0.9,
      maxTokens: 50,
      stop: ['END'],
    });
    expect(result).toMatchObject({
      provider: 'openai',
      model: 'gpt-4o-mini',
      id: 'chatcmpl-fake123',
      text: 'Hello from the fake upstream.',
      toolCalls: [],
      finishReason: { unified: 'stop', raw: 'stop' },
      usage: {
        inputTokens: { total: 21, cacheRead: 0, noCache: 21 },
        outputTokens: { total: 9, reasoning: 0 },
        source: 'reported',
      },
    });
    const sent = fake.lastRequest;
    expect(sent?.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(sent?.body).toEqual({
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Hello!' },
        { role: 'user', content: 'And again?' },
      ],
      temperature: 0.2,
      top_p: 0.9,
      max_completion_tokens: 50,
      stop: ['END'],
      stream: false,
    });
  });

  it('round-trips a tool call: definitions out, the call back, the result in the next turn', async () => {
    fake.handler = openAIFake({
      toolCalls: [{ id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' }],
    });
    const tools = [
      {
        name: 'get_weather',
        description: 'Weather now',
        parameters: { type: 'object', properties: { city: { type: 'string' } } },
      },
    ];
    const first = await provider.chat({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'Weather in Paris?' }],
      tools,
      toolChoice: 'auto',
    });
    expect(first.toolCalls).toEqual([{ id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' }]);
    expect(first.finishReason.unified).toBe('tool-calls');
    expect(fake.lastBody.tools).toEqual([
      {
        type: 'function',
        function: { name: 'get_weather', description: 'Weather now', parameters: tools[0]?.parameters },
      },
    ]);

    fake.handler = openAIFake({ text: 'It is sunny.' });
    await provider.chat({
      model: 'gpt-4o',
      messages: [
        { role: 'user', content: 'Weather in Paris?' },
        { role: 'assistant', content: null, toolCalls: first.toolCalls },
        { role: 'tool', toolCallId: 'call_1', content: '{"sky":"sunny"}' },
      ],
      tools,
    });
    expect(fake.lastBody.messages.slice(1)).toEqual([
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            id: 'call_1',
            type: 'function',
            function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
          },
        ],
      },
      { role: 'tool', tool_call_id: 'call_1', content: '{"sky":"sunny"}' },
    ]);
  });

  it('sends images as image_url parts and structured output as json_schema', async () => {
    await provider.chat({
      model: 'gpt-4o',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is this?' },
            { type: 'image', url: 'https://example.com/cat.png' },
            { type: 'image', data: 'iVBORw0KGgo=', mediaType: 'image/png' },
          ],
        },
      ],
      responseFormat: { type: 'json-schema', name: 'answer', schema: { type: 'object' }, strict: true },
    });
    const body = fake.lastBody;
    expect(body.messages[0].content).toEqual([
      { type: 'text', text: 'What is this?' },
      { type: 'image_url', image_url: { url: 'https://example.com/cat.png' } },
      { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
    ]);
    expect(body.response_format).toEqual({
      type: 'json_schema',
      json_schema: { name: 'answer', schema: { type: 'object' }, strict: true },
    });
  });

  it('streams text deltas and ends with finish carrying the usage it asked for', async () => {
    const parts = await collect(
      provider.chatStream({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] }),
    );
    expect(fake.lastBody.stream_options).toEqual({
      include_usage: true,
    });
    expect(parts[0]).toEqual({ type: 'start', id: 'chatcmpl-fake123', model: 'gpt-4o-mini' });
    const text = parts
      .filter((p) => p.type === 'text-delta')
      .map((p) => (p as { delta: string }).delta)
      .join('');
    expect(text).toBe('Hello from the fake upstream.');
    expect(parts.at(-1)).toMatchObject({
      type: 'finish',
      finishReason: { unified: 'stop' },
      usage: { inputTokens: { total: 21 }, outputTokens: { total: 9 }, source: 'reported' },
    });
  });

  it('streams a tool call as start then argument deltas', async () => {
    fake.handler = openAIFake({ toolCalls: [{ id: 'call_9', name: 'lookup', arguments: '{"q":"nestjs"}' }] });
    const parts = await collect(
      provider.chatStream({
        model: 'gpt-4o',
        messages: [{ role: 'user', content: 'x' }],
        tools: [{ name: 'lookup', parameters: {} }],
      }),
    );
    const toolParts = parts.filter((p) => p.type.startsWith('tool-call'));
    expect(toolParts[0]).toEqual({ type: 'tool-call-start', index: 0, id: 'call_9', name: 'lookup' });
    expect(
      toolParts
        .slice(1)
        .map((p) => (p as { argumentsDelta: string }).argumentsDelta)
        .join(''),
    ).toBe('{"q":"nestjs"}');
    expect(parts.at(-1)).toMatchObject({ type: 'finish', finishReason: { unified: 'tool-calls' } });
  });

  it('embeds, returning vectors in input order with usage', async () => {
    const result = await provider.embed?.({
      model: 'text-embedding-3-small',
      input: ['a', 'bbbb'],
      dimensions: 3,
    });
    expect(result?.embeddings).toEqual([
      [0.01, 0.02, 0.03],
      [0.04, 0.05, 0.06],
    ]);
    expect(result?.usage.inputTokens.total).toBe(2);
    expect(fake.lastBody.encoding_format).toBe('float');
  });

  it.each([
    [401, 'invalid_request_error', AuthenticationError, false],
    [400, 'invalid_request_error', BadRequestError, false],
    [404, 'invalid_request_error', ModelNotFoundError, false],
    [500, 'server_error', UpstreamError, true],
    [503, 'server_error', UpstreamError, true],
  ])('maps HTTP %i to %p (retryable: %p)', async (status, type, ErrorClass, retryable) => {
    fake.enqueue(openAIError(status, type, `Incorrect API key provided: ${KEY}`));
    const error = await provider
      .chat({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }] })
      .catch((e) => e);
    expect(error).toBeInstanceOf(ErrorClass);
    expect(error.retryable).toBe(retryable);
    expect(error.status).toBe(status);
    expect(error.message).not.toContain(KEY);
    expect(JSON.stringify(error)).not.toContain(KEY);
  });

  it('maps 429 to RateLimitError with the retry-after delay', async () => {
    fake.enqueue(openAIError(429, 'rate_limit_exceeded', 'Slow down', { 'retry-after': '7' }));
    const error = await provider
      .chat({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }] })
      .catch((e) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error.retryable).toBe(true);
    expect(error.details.retryAfterMs).toBe(7000);
  });

  it('maps a dropped connection to a retryable ConnectionError', async () => {
    fake.enqueue({ kind: 'drop' });
    const error = await provider
      .chat({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }] })
      .catch((e) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error.retryable).toBe(true);
  });

  it('fails a stream cut mid-way instead of finishing it', async () => {
    fake.handler = openAIFake({ text: 'a long answer that will be cut', chunkSize: 3 });
    const original = fake.handler;
    fake.handler = async (req) => ({ ...(await original(req)), dropAfter: 3 }) as never;
    const parts: ChatStreamPart[] = [];
    const error = await (async () => {
      for await (const part of provider.chatStream({
        model: 'gpt-4o',
        messages: [{ role: 'user', content: 'x' }],
      }))
        parts.push(part);
    })().catch((e) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error.constructor.name).toMatch(/ConnectionError|UpstreamError/);
    expect(parts.some((p) => p.type === 'finish')).toBe(false);
  });

  it('cancels a slow stream when the caller aborts', async () => {
    fake.handler = openAIFake({ eventDelayMs: 100 });
    const controller = new AbortController();
    const seen: ChatStreamPart[] = [];
    const error = await (async () => {
      for await (const part of provider.chatStream({
        model: 'gpt-4o',
        messages: [{ role: 'user', content: 'x' }],
        signal: controller.signal,
      })) {
        seen.push(part);
        if (part.type === 'text-delta') controller.abort();
      }
    })().catch((e) => e);
    expect(error).toBeInstanceOf(AbortedError);
    expect(seen.filter((p) => p.type === 'text-delta')).toHaveLength(1);
  });

  it("lets go of the caller's signal once a timed call ends: answered, streamed, stopped by its reader, failed", async () => {
    await expectCallerSignalLetGo(
      provider,
      { model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }] },
      () => fake.enqueue(openAIError(500, 'server_error', 'x')),
    );
  });

  it('times out a call slower than timeoutMs', async () => {
    fake.enqueue({ kind: 'json', body: {}, delayMs: 2000 });
    const error = await provider
      .chat({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }], timeoutMs: 150 })
      .catch((e) => e);
    expect(error).toBeInstanceOf(TimeoutError);
  });

  it("times a whole stream by the provider's timeoutMs, not only the wait for its head", async () => {
    const timed = new OpenAIChatProvider({
      name: 'openai',
      apiKey: KEY,
      baseUrl: `${url}/v1`,
      timeoutMs: 1600,
      models: () => [],
    });
    // Its head at once, its first text 400 ms later, its end 3.2 s later: the timeout comes
    // mid-stream, with room for a stalled event loop before the first text.
    fake.handler = openAIFake({ text: 'one two three four five six', chunkSize: 4, eventDelayMs: 400 });
    const seen: ChatStreamPart[] = [];
    const error = await (async () => {
      for await (const part of timed.chatStream({
        model: 'gpt-4o',
        messages: [{ role: 'user', content: 'x' }],
      }))
        seen.push(part);
    })().catch((e) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(seen.some((p) => p.type === 'text-delta')).toBe(true);
    expect(seen.some((p) => p.type === 'finish')).toBe(false);
  });

  it('reports health without throwing', async () => {
    expect(await provider.healthCheck()).toMatchObject({ ok: true });
    fake.enqueue(openAIError(401, 'invalid_request_error', `bad key ${KEY}`));
    const health = await provider.healthCheck();
    expect(health.ok).toBe(false);
    expect(health.error).not.toContain(KEY);
  });
});

describe('OpenAICompatibleProvider presets', () => {
  const fake = new FakeUpstream(openAIFake());
  let url: string;
  beforeAll(async () => {
    url = await fake.listen();
  });
  afterAll(() => fake.close());

  it('Groq: reads stream usage from x_groq and sends max_tokens', async () => {
    fake.handler = openAIFake({
      streamUsageStyle: 'x_groq',
      usage: { prompt_tokens: 40, completion_tokens: 4, total_tokens: 44 },
    });
    const groq = new OpenAICompatibleProvider(
      { name: 'groq', apiKey: 'gsk_x', baseUrl: `${url}/openai/v1`, models: () => [] },
      OPENAI_COMPATIBLE_PRESETS.groq,
    );
    const parts = await collect(
      groq.chatStream({
        model: 'llama-3.1-8b-instant',
        messages: [{ role: 'user', content: 'x' }],
        maxTokens: 10,
      }),
    );
    expect(parts.at(-1)).toMatchObject({
      type: 'finish',
      usage: { inputTokens: { total: 40 }, outputTokens: { total: 4 } },
    });
    expect(fake.lastBody.max_tokens).toBe(10);
    expect(fake.lastRequest?.path).toBe('/openai/v1/chat/completions');
    expect(groq.embed).toBeUndefined();
  });

  it('Ollama: works with no key, and a stream with no usage ends with usage unknown', async () => {
    fake.handler = openAIFake({ usage: null });
    const ollama = new OpenAICompatibleProvider(
      { name: 'local', baseUrl: `${url}/v1`, models: () => [] },
      OPENAI_COMPATIBLE_PRESETS.ollama,
    );
    const parts = await collect(
      ollama.chatStream({ model: 'llama3.2', messages: [{ role: 'user', content: 'x' }] }),
    );
    expect(parts.at(-1)).toMatchObject({ type: 'finish', usage: { source: 'unknown' } });
    expect(ollama.type).toBe('openai-compatible');
    expect(ollama.displayName).toBe('Ollama');
  });
});
