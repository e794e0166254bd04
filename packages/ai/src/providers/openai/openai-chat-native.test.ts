import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { AIError } from '../../errors/ai-error.js';
import { UpstreamError } from '../../errors/errors.js';
import { FakeUpstream } from '../../testing/fake-upstream.js';
import { openAIError, openAIFake } from '../../testing/openai-fake.js';
import type { ChatRequest } from '../../types/chat-request.js';
import type { ChatStreamPart } from '../../types/chat-stream-part.js';
import { OpenAIChatProvider } from './openai-chat-provider.js';

const KEY = 'sk-proj-NATIVENATIVENATIVE0123456789';
const collect = async (stream: AsyncIterable<ChatStreamPart>) => {
  const parts: ChatStreamPart[] = [];
  for await (const part of stream) parts.push(part);
  return parts;
};
const bytesOf = (parts: ChatStreamPart[]) =>
  Buffer.concat(parts.flatMap((p) => (p.type === 'raw' ? [Buffer.from(p.data)] : []))).toString('utf8');

/** A native request: the caller's own Chat Completions body. */
const native = (body: Record<string, unknown>, headers: Record<string, string> = {}): ChatRequest => ({
  model: 'gpt-4o-mini',
  messages: [],
  native: { format: 'openai-chat', body, headers },
});

const BODY = {
  model: 'fast',
  messages: [
    { role: 'developer', content: 'Be brief.' },
    {
      role: 'user',
      content: [{ type: 'image_url', image_url: { url: 'https://x.test/a.png', detail: 'low' } }],
    },
  ],
  n: 2,
  logprobs: true,
  a_field_from_the_future: { x: 1 },
};

const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) =>
  `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini', choices, ...extra })}`;

describe('OpenAIChatProvider, native lane', () => {
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

  it('sends the body as it is but for model, with the key and OpenAI-Beta, and returns the answer whole', async () => {
    const result = await provider.chat(native(BODY, { 'openai-beta': 'x=v1' }));
    expect(JSON.stringify(fake.lastBody)).toBe(JSON.stringify({ ...BODY, model: 'gpt-4o-mini' }));
    expect(fake.lastRequest?.headers).toMatchObject({
      authorization: `Bearer ${KEY}`,
      'openai-beta': 'x=v1',
    });
    const answer = JSON.parse(result.native?.body.toString('utf8') ?? '{}');
    expect(answer).toMatchObject({ object: 'chat.completion', model: 'gpt-4o-mini' });
    expect(result.usage).toMatchObject({
      source: 'reported',
      inputTokens: { total: 21 },
      outputTokens: { total: 9 },
    });
  });

  it('streams several choices as received; usage from the usage chunk, the finish after the last byte', async () => {
    const events = [
      chunk([{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }]),
      chunk([{ index: 1, delta: { role: 'assistant', content: '' }, finish_reason: null }]),
      chunk([{ index: 0, delta: { content: 'One' }, finish_reason: 'stop' }]),
      chunk([{ index: 1, delta: { content: 'Two' }, finish_reason: 'stop' }]),
      chunk([], {
        usage: { prompt_tokens: 30, completion_tokens: 4, prompt_tokens_details: { cached_tokens: 10 } },
      }),
      'data: [DONE]',
    ];
    fake.enqueue({ kind: 'sse', events });
    const parts = await collect(provider.chatStream(native({ ...BODY, stream: true })));
    expect(parts[0]).toMatchObject({ type: 'start', native: true, id: 'c1' });
    expect(bytesOf(parts)).toBe(events.map((e) => `${e}\n\n`).join(''));
    // The first choice stands for the text estimate; the bytes carry both.
    expect(parts.filter((p) => p.type === 'text-delta')).toEqual([{ type: 'text-delta', delta: 'One' }]);
    expect(parts.at(-1)).toMatchObject({
      type: 'finish',
      usage: { inputTokens: { total: 30, cacheRead: 10 }, outputTokens: { total: 4 } },
    });
  });

  it('a stream with no usage chunk (the caller did not ask for one) finishes with usage unknown', async () => {
    fake.enqueue({
      kind: 'sse',
      events: [chunk([{ index: 0, delta: { content: 'Hi' }, finish_reason: 'stop' }]), 'data: [DONE]'],
    });
    const parts = await collect(provider.chatStream(native({ ...BODY, stream: true })));
    expect(parts.at(-1)).toMatchObject({ type: 'finish', usage: { source: 'unknown' } });
  });

  it('passes an error chunk on and throws for the gateway; a stream cut before finishing throws too', async () => {
    const failing = `data: ${JSON.stringify({ error: { message: 'The server had an error', type: 'server_error', code: null } })}`;
    fake.enqueue({
      kind: 'sse',
      events: [chunk([{ index: 0, delta: { content: 'H' }, finish_reason: null }]), failing],
    });
    const parts: ChatStreamPart[] = [];
    const error = (await (async () => {
      for await (const part of provider.chatStream(native({ ...BODY, stream: true }))) parts.push(part);
    })().catch((e: unknown) => e)) as AIError;
    expect(error.code).toBe('upstream_error');
    expect(error.details.upstreamReply?.format).toBe('openai-chat');
    expect(bytesOf(parts)).toContain('The server had an error');

    fake.enqueue({
      kind: 'sse',
      events: [chunk([{ index: 0, delta: { content: 'H' }, finish_reason: null }])],
    });
    const cut = await collect(provider.chatStream(native({ ...BODY, stream: true }))).catch(
      (e: unknown) => e,
    );
    expect(cut).toBeInstanceOf(UpstreamError);
    expect((cut as AIError).details.upstreamReply).toBeUndefined();
  });

  it('throws an upstream 4xx with the body it sent, the key cut from it', async () => {
    fake.enqueue(openAIError(400, 'invalid_request_error', `Bad input for key ${KEY}`));
    const error = (await provider.chat(native(BODY)).catch((e: unknown) => e)) as AIError;
    expect(error.code).toBe('bad_request');
    expect(error.details.upstreamReply?.body).toContain('Bad input for key [redacted]');
    expect(error.details.upstreamReply?.body).not.toContain(KEY);
    expect(error.message).not.toContain(KEY);
  });
});
