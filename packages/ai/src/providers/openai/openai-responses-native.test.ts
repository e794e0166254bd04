import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { AIError } from '../../errors/ai-error.js';
import { BadRequestError, RateLimitError, UpstreamError } from '../../errors/errors.js';
import { type FakeReply, FakeUpstream } from '../../testing/fake-upstream.js';
import { openAIError, openAIFake } from '../../testing/openai-fake.js';
import { type OpenAIResponsesFakeOptions, openAIResponsesFake } from '../../testing/openai-responses-fake.js';
import type { ChatRequest } from '../../types/chat-request.js';
import type { ChatStreamPart } from '../../types/chat-stream-part.js';
import { OpenAICompatibleProvider } from '../openai-compatible/openai-compatible-provider.js';
import { OpenAIChatProvider } from './openai-chat-provider.js';

const KEY = 'sk-proj-RESPONSESRESPONSES0123456789';
const collect = async (stream: AsyncIterable<ChatStreamPart>) => {
  const parts: ChatStreamPart[] = [];
  for await (const part of stream) parts.push(part);
  return parts;
};
/** The parts a stream gave before it threw, and what it threw. */
const collectFailing = async (stream: AsyncIterable<ChatStreamPart>) => {
  const parts: ChatStreamPart[] = [];
  const error = (await (async () => {
    for await (const part of stream) parts.push(part);
  })().catch((e: unknown) => e)) as AIError;
  return { parts, error };
};
const bytesOf = (parts: ChatStreamPart[]) =>
  Buffer.concat(parts.flatMap((p) => (p.type === 'raw' ? [Buffer.from(p.data)] : []))).toString('utf8');

/** A native request: the caller's own Responses API body. */
const native = (
  body: Record<string, unknown>,
  headers: Record<string, string> = {},
  query?: string,
): ChatRequest => ({
  model: 'gpt-5-mini',
  messages: [],
  native: { format: 'openai-responses', body, headers, ...(query ? { query } : {}) },
});

const BODY = {
  model: 'fast',
  instructions: 'Be brief.',
  input: [
    { role: 'user', content: [{ type: 'input_text', text: 'Weather in Paris?' }] },
    { type: 'item_reference', id: 'msg_earlier' },
  ],
  previous_response_id: 'resp_previous',
  reasoning: { effort: 'low', summary: 'auto' },
  include: ['reasoning.encrypted_content'],
  a_field_from_the_future: { x: 1 },
};
const TOOL_CALL = { id: 'call_w1', name: 'get_weather', arguments: '{"city":"Paris"}' };

/** The fake's answer to a streamed request, fixed beforehand so its bytes can be compared. */
function streamed(options: OpenAIResponsesFakeOptions): FakeReply & { kind: 'sse' } {
  const request = {
    method: 'POST',
    path: '/v1/responses',
    headers: {},
    body: { model: 'gpt-5-mini', stream: true },
  };
  return openAIResponsesFake(options)(request) as FakeReply & { kind: 'sse' };
}
const sse = (type: string, data: Record<string, unknown>) =>
  `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}`;

describe('OpenAIChatProvider, native lane, Responses API', () => {
  const fake = new FakeUpstream(openAIFake());
  let provider: OpenAIChatProvider;
  beforeAll(async () => {
    const url = await fake.listen();
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
    fake.queue.length = 0;
  });

  it('speaks Chat Completions and the Responses API; counts Responses bodies only', () => {
    expect(provider.wireFormats).toEqual(['openai-chat', 'openai-responses']);
    expect(provider.countFormats).toEqual(['openai-responses']);
  });

  it('sends the body as it is but for model, to /responses with the query, the key and OpenAI-Beta', async () => {
    fake.handler = openAIFake({
      responses: { reasoning: 'The user wants the weather.', text: 'Let me look.', toolCalls: [TOOL_CALL] },
    });
    const result = await provider.chat(native(BODY, { 'openai-beta': 'responses=v9' }, 'trace=1'));
    expect(fake.lastRequest?.path).toBe('/v1/responses?trace=1');
    expect(JSON.stringify(fake.lastBody)).toBe(JSON.stringify({ ...BODY, model: 'gpt-5-mini' }));
    expect(fake.lastRequest?.headers).toMatchObject({
      authorization: `Bearer ${KEY}`,
      'openai-beta': 'responses=v9',
    });
    // The answer as the provider sent it, and what the gateway reads of it.
    const answer = JSON.parse(result.native?.body.toString('utf8') ?? '{}');
    expect(answer).toMatchObject({ object: 'response', previous_response_id: 'resp_previous' });
    expect(result.native).toMatchObject({ status: 200, contentType: 'application/json' });
    expect(result).toMatchObject({
      provider: 'openai',
      model: 'gpt-5-mini',
      id: answer.id,
      text: 'Let me look.',
      toolCalls: [TOOL_CALL],
      reasoning: 'The user wants the weather.',
      finishReason: { unified: 'tool-calls', raw: 'completed' },
      usage: {
        source: 'reported',
        inputTokens: { total: 36, noCache: 36, cacheRead: 0 },
        outputTokens: { total: 87, text: 87, reasoning: 0 },
      },
    });
  });

  it('still sends a Chat Completions body to /chat/completions', async () => {
    const result = await provider.chat({
      model: 'gpt-4o-mini',
      messages: [],
      native: {
        format: 'openai-chat',
        body: { model: 'x', messages: [{ role: 'user', content: 'Hi' }] },
        headers: {},
      },
    });
    expect(fake.lastRequest?.path).toBe('/v1/chat/completions');
    expect(JSON.parse(result.native?.body.toString() ?? '{}')).toMatchObject({ object: 'chat.completion' });
  });

  it('reads an incomplete answer as cut by length', async () => {
    fake.handler = openAIFake({ responses: { incomplete: 'max_output_tokens' } });
    const result = await provider.chat(native({ model: 'x', input: 'Hi', max_output_tokens: 16 }));
    expect(result.finishReason).toEqual({ unified: 'length', raw: 'max_output_tokens' });
    expect(result.text).toBe('Hello from the fake upstream.');
  });

  it('streams the bytes whole, start first; text, reasoning and tool parts; usage and the Response on finish', async () => {
    const answer = streamed({
      reasoning: 'Weather needs a tool.',
      text: 'Checking.',
      toolCalls: [TOOL_CALL, { id: 'call_w2', name: 'get_time', arguments: '{}' }],
      usage: {
        input_tokens: 2006,
        input_tokens_details: { cached_tokens: 1920, cache_write_tokens: 0 },
        output_tokens: 300,
        output_tokens_details: { reasoning_tokens: 256 },
        total_tokens: 2306,
      },
    });
    fake.enqueue(answer);
    const parts = await collect(provider.chatStream(native({ ...BODY, stream: true })));
    const created = JSON.parse(answer.events[0]?.split('data: ')[1] ?? '{}').response;
    expect(parts[0]).toEqual({ type: 'start', id: created.id, model: 'gpt-5-mini', native: true });
    expect(bytesOf(parts)).toBe(answer.events.map((e) => `${e}\n\n`).join(''));
    const deltas = (type: 'text-delta' | 'reasoning-delta') =>
      parts.flatMap((p) => (p.type === type ? [p.delta] : [])).join('');
    expect(deltas('text-delta')).toBe('Checking.');
    expect(deltas('reasoning-delta')).toBe('Weather needs a tool.');
    expect(parts.filter((p) => p.type === 'tool-call-start')).toEqual([
      { type: 'tool-call-start', index: 0, id: 'call_w1', name: 'get_weather' },
      { type: 'tool-call-start', index: 1, id: 'call_w2', name: 'get_time' },
    ]);
    const args = (index: number) =>
      parts
        .flatMap((p) => (p.type === 'tool-call-delta' && p.index === index ? [p.argumentsDelta] : []))
        .join('');
    expect([args(0), args(1)]).toEqual(['{"city":"Paris"}', '{}']);
    const completed = JSON.parse(answer.events.at(-1)?.split('data: ')[1] ?? '{}').response;
    expect(parts.find((p) => p.type === 'finish')).toEqual({
      type: 'finish',
      finishReason: { unified: 'tool-calls', raw: 'completed' },
      usage: expect.objectContaining({
        source: 'reported',
        inputTokens: { total: 2006, noCache: 86, cacheRead: 1920, cacheWrite: 0, cacheWrite1h: undefined },
        outputTokens: { total: 300, text: 44, reasoning: 256 },
      }),
      nativeResult: completed,
    });
    expect(parts.filter((p) => p.type === 'finish')).toHaveLength(1);
  });

  it('finishes an incomplete stream after response.incomplete, with length', async () => {
    fake.handler = openAIFake({ responses: { incomplete: 'max_output_tokens' } });
    const parts = await collect(provider.chatStream(native({ model: 'x', input: 'Hi', stream: true })));
    expect(parts.find((p) => p.type === 'finish')).toMatchObject({
      type: 'finish',
      finishReason: { unified: 'length', raw: 'max_output_tokens' },
      nativeResult: { status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } },
    });
  });

  it('reads reasoning text deltas, and skips events it does not know', async () => {
    const response = {
      id: 'resp_1',
      object: 'response',
      model: 'gpt-oss',
      status: 'in_progress',
      output: [],
    };
    fake.enqueue({
      kind: 'sse',
      events: [
        sse('response.created', { response, sequence_number: 0 }),
        sse('response.reasoning_text.delta', { item_id: 'rs_1', delta: 'Hmm.', sequence_number: 1 }),
        sse('response.something_new', { whatever: true, sequence_number: 2 }),
        sse('response.output_text.delta', { item_id: 'msg_1', delta: 'Hi', sequence_number: 3 }),
        sse('response.completed', { response: { ...response, status: 'completed' }, sequence_number: 4 }),
      ],
    });
    const parts = await collect(provider.chatStream(native({ model: 'x', input: 'Hi', stream: true })));
    expect(parts.filter((p) => p.type !== 'raw')).toEqual([
      { type: 'start', id: 'resp_1', model: 'gpt-oss', native: true },
      { type: 'reasoning-delta', delta: 'Hmm.' },
      { type: 'text-delta', delta: 'Hi' },
      {
        type: 'finish',
        finishReason: { unified: 'stop', raw: 'completed' },
        usage: expect.objectContaining({ source: 'unknown' }),
        nativeResult: { ...response, status: 'completed' },
      },
    ]);
  });

  it('passes response.failed on and throws for the gateway, with that event as the upstream reply', async () => {
    fake.handler = openAIFake({ responses: { status: 'failed' } });
    const { parts, error } = await collectFailing(
      provider.chatStream(native({ model: 'x', input: 'Hi', stream: true })),
    );
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error.retryable).toBe(true);
    expect(error.details.upstreamCode).toBe('server_error');
    expect(bytesOf(parts)).toContain('event: response.failed');
    const reply = error.details.upstreamReply;
    expect(reply).toMatchObject({
      format: 'openai-responses',
      status: 200,
      contentType: 'text/event-stream',
    });
    expect(JSON.parse(reply?.body ?? '{}')).toMatchObject({
      type: 'response.failed',
      response: { status: 'failed', error: { code: 'server_error' } },
    });
    expect(parts.some((p) => p.type === 'finish')).toBe(false);
  });

  it('classifies an error event by its code; an unknown code is an upstream error', async () => {
    const created = sse('response.created', {
      response: { id: 'resp_2', object: 'response', model: 'gpt-5-mini', status: 'in_progress', output: [] },
      sequence_number: 0,
    });
    const failing = sse('error', {
      code: 'rate_limit_exceeded',
      message: 'Rate limit reached',
      param: null,
      sequence_number: 1,
    });
    fake.enqueue({ kind: 'sse', events: [created, failing] });
    const limited = await collectFailing(
      provider.chatStream(native({ model: 'x', input: 'Hi', stream: true })),
    );
    expect(limited.error).toBeInstanceOf(RateLimitError);
    expect(limited.error.details.upstreamReply?.body).toBe(failing.split('data: ')[1]);
    expect(bytesOf(limited.parts)).toContain('Rate limit reached');

    fake.enqueue({
      kind: 'sse',
      events: [created, sse('error', { code: 'ERR_NEW', message: 'Odd', param: null, sequence_number: 1 })],
    });
    const odd = await collectFailing(provider.chatStream(native({ model: 'x', input: 'Hi', stream: true })));
    expect(odd.error).toBeInstanceOf(UpstreamError);
    expect(odd.error.message).toContain('Odd');
    expect(odd.error.details.upstreamReply?.format).toBe('openai-responses');
  });

  it('throws for a stream cut before its terminal event, with no upstream reply', async () => {
    const answer = streamed({ text: 'A longer answer, cut.' });
    fake.enqueue({ ...answer, events: answer.events.slice(0, -1) });
    const cut = await collectFailing(provider.chatStream(native({ model: 'x', input: 'Hi', stream: true })));
    expect(cut.error).toBeInstanceOf(UpstreamError);
    expect(cut.error.details.upstreamReply).toBeUndefined();
    expect(cut.parts[0]).toMatchObject({ type: 'start', native: true });
  });

  it('throws an upstream 4xx with the body it sent, the key cut from it', async () => {
    fake.enqueue(openAIError(400, 'invalid_request_error', `Previous response not found for key ${KEY}`));
    const error = (await provider.chat(native(BODY)).catch((e: unknown) => e)) as AIError;
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error.details.upstreamReply?.format).toBe('openai-responses');
    expect(error.details.upstreamReply?.body).toContain('Previous response not found for key [redacted]');
    expect(error.message).not.toContain(KEY);
  });

  it('counts tokens at /responses/input_tokens with the body as sent', async () => {
    fake.handler = openAIFake({ responses: { inputTokens: 1234 } });
    const counted = await provider.countTokens({
      model: 'gpt-5-mini',
      native: { format: 'openai-responses', body: BODY, headers: { 'openai-beta': 'x' } },
    });
    expect(fake.lastRequest?.path).toBe('/v1/responses/input_tokens');
    expect(JSON.stringify(fake.lastBody)).toBe(JSON.stringify({ ...BODY, model: 'gpt-5-mini' }));
    expect(fake.lastRequest?.headers).toMatchObject({ authorization: `Bearer ${KEY}`, 'openai-beta': 'x' });
    expect(counted).toMatchObject({
      inputTokens: 1234,
      source: 'reported',
      provider: 'openai',
      model: 'gpt-5-mini',
    });
    expect(JSON.parse(counted.native?.body.toString() ?? '')).toEqual({
      object: 'response.input_tokens',
      input_tokens: 1234,
    });
  });

  it('refuses to count a format with no count endpoint, sending nothing', async () => {
    const sent = fake.requests.length;
    const error = await provider
      .countTokens({
        model: 'gpt-4o-mini',
        native: { format: 'openai-chat', body: { messages: [] }, headers: {} },
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadRequestError);
    expect(fake.requests.length).toBe(sent);
  });
});

describe('OpenAICompatibleProvider and the Responses API', () => {
  const fake = new FakeUpstream(openAIFake());
  let provider: OpenAICompatibleProvider;
  beforeAll(async () => {
    provider = new OpenAICompatibleProvider({
      name: 'local',
      baseUrl: `${await fake.listen()}/v1`,
      models: () => [],
    });
  });
  afterAll(() => fake.close());

  it('speaks only Chat Completions natively, counts nothing, and refuses a Responses body', async () => {
    expect(provider.wireFormats).toEqual(['openai-chat']);
    expect(provider.countFormats).toEqual([]);
    const error = await provider.chat(native({ model: 'x', input: 'Hi' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadRequestError);
    const count = await provider
      .countTokens({ model: 'x', native: { format: 'openai-responses', body: { input: 'Hi' }, headers: {} } })
      .catch((e: unknown) => e);
    expect(count).toBeInstanceOf(BadRequestError);
    expect(fake.requests).toEqual([]);
  });
});
