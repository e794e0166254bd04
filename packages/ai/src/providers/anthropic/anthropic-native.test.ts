import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { AIError, ConnectionError, UpstreamError } from '../../errors/index.js';
import {
  anthropicError,
  anthropicFake,
  anthropicStreamErrorEvent,
  FakeUpstream,
  readSseChunks,
} from '../../testing/index.js';
import type { ChatRequest, ChatStreamPart, NativeBody } from '../../types/index.js';
import { AnthropicProvider } from './anthropic-provider.js';

const KEY = 'sk-ant-api03-NATIVENATIVENATIVE1234';
const fixture = (name: string) => readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8');

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
    models: () => [],
  });
});

afterEach(() => upstream.close());

/** A native request: the caller's body, to be sent as it is but for `model`. */
const native = (body: Record<string, unknown>, headers: Record<string, string> = {}): ChatRequest => ({
  model: 'claude-sonnet-5-5',
  messages: [],
  native: { format: 'anthropic-messages', body, headers } satisfies NativeBody,
});

const BODY = {
  model: 'my-alias',
  max_tokens: 100,
  system: [{ type: 'text', text: 'Be brief.', cache_control: { type: 'ephemeral', ttl: '1h' } }],
  messages: [{ role: 'user', content: 'Hi' }],
  thinking: { type: 'enabled', budget_tokens: 50 },
  a_field_from_the_future: [1, 2],
};

async function collect(parts: AsyncIterable<ChatStreamPart>): Promise<ChatStreamPart[]> {
  const out: ChatStreamPart[] = [];
  for await (const part of parts) out.push(part);
  return out;
}

describe('AnthropicProvider, native lane', () => {
  it('sends the body as it is but for model, with the key and the caller headers, and returns the answer whole', async () => {
    const message = JSON.parse(fixture('message-thinking-tool-use.json'));
    upstream.enqueue({ kind: 'json', body: message });
    const result = await provider.chat(
      native(BODY, { 'anthropic-beta': 'b1,b2', 'anthropic-version': '2023-06-01' }),
    );
    expect(JSON.stringify(upstream.lastBody)).toBe(JSON.stringify({ ...BODY, model: 'claude-sonnet-5-5' }));
    expect(upstream.lastRequest?.headers).toMatchObject({
      'x-api-key': KEY,
      'anthropic-beta': 'b1,b2',
      'anthropic-version': '2023-06-01',
      'x-gateway': 'aigw',
    });
    expect(JSON.parse(result.native?.body.toString('utf8') ?? '')).toEqual(message);
    expect(result.native).toMatchObject({ status: 200, contentType: 'application/json' });
    // Read in passing: usage, tool calls, reasoning.
    expect(result.usage).toMatchObject({
      inputTokens: { total: 412 },
      outputTokens: { total: 180, reasoning: 112 },
    });
    expect(result.toolCalls).toEqual([
      {
        id: 'toolu_01A09q90qw90lq917835lq9',
        name: 'get_weather',
        arguments: '{"location":"Paris","unit":"celsius"}',
      },
    ]);
  });

  it('cuts its own key out of an answer that echoes it, and changes nothing else', async () => {
    const message = { ...JSON.parse(fixture('message-thinking-tool-use.json')), echoed: `key ${KEY} here` };
    upstream.enqueue({ kind: 'json', body: message });
    const result = await provider.chat(native(BODY));
    expect(JSON.parse(result.native?.body.toString('utf8') ?? '')).toEqual({
      ...message,
      echoed: 'key [redacted] here',
    });
  });

  it("sends the SDK's API version when the caller names none", async () => {
    await provider.chat(native(BODY));
    expect(upstream.lastRequest?.headers['anthropic-version']).toBe('2026-10-21');
  });

  it('streams the bytes as received, start first, usage read from message_start and message_delta', async () => {
    const events = readSseChunks(fixture('stream-tool-use.chunks.txt'));
    upstream.enqueue({ kind: 'sse', events });
    const parts = await collect(provider.chatStream(native({ ...BODY, stream: true })));
    expect(parts[0]).toMatchObject({ type: 'start', native: true, id: 'msg_014p7gG3wDgGV9EUtLvnow3U' });
    const bytes = parts.flatMap((p) => (p.type === 'raw' ? [Buffer.from(p.data)] : []));
    expect(Buffer.concat(bytes).toString('utf8')).toBe(events.map((e) => `${e}\n\n`).join(''));
    const finish = parts.find((p) => p.type === 'finish');
    // The finish (the usage row) comes before the bytes of message_stop reach the caller.
    expect(parts.at(-1)?.type).toBe('raw');
    expect(parts.indexOf(finish as ChatStreamPart)).toBeLessThan(parts.length - 1);
    expect(finish).toMatchObject({
      type: 'finish',
      finishReason: { unified: 'tool-calls' },
      usage: { source: 'reported', inputTokens: { total: 472 + 1800, cacheRead: 1800 } },
    });
  });

  it('passes an error event on as the provider sent it, with its key cut out, and throws for the gateway', async () => {
    const events = readSseChunks(fixture('stream-tool-use.chunks.txt')).slice(0, 3);
    upstream.enqueue({
      kind: 'sse',
      events: [...events, anthropicStreamErrorEvent('overloaded_error', `Overloaded (${KEY})`)],
    });
    const parts: ChatStreamPart[] = [];
    const error = await (async () => {
      for await (const part of provider.chatStream(native({ ...BODY, stream: true }))) parts.push(part);
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamError);
    expect((error as AIError).details.upstreamReply).toMatchObject({ format: 'anthropic-messages' });
    const sent = Buffer.concat(
      parts.flatMap((p) => (p.type === 'raw' ? [Buffer.from(p.data)] : [])),
    ).toString();
    expect(sent).toContain('event: error');
    expect(sent).toContain('Overloaded ([redacted])');
    expect(sent).not.toContain(KEY);
  });

  it('throws an upstream 4xx with the body it sent, for a caller in the same format', async () => {
    upstream.enqueue(anthropicError(400, 'invalid_request_error', 'messages: Field required'));
    const error = (await provider.chat(native({ model: 'x' })).catch((e: unknown) => e)) as AIError;
    expect(error.code).toBe('bad_request');
    expect(error.status).toBe(400);
    expect(JSON.parse(error.details.upstreamReply?.body ?? '')).toMatchObject({
      type: 'error',
      error: { type: 'invalid_request_error', message: 'messages: Field required' },
    });
  });

  it('classifies a refused connection like the SDK path does', async () => {
    await upstream.close();
    const error = await provider.chat(native(BODY)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as Error).message).not.toContain(KEY);
  });

  it('counts tokens at /v1/messages/count_tokens with the body as sent', async () => {
    upstream.handler = anthropicFake({ apiKey: KEY, inputTokens: 1234 });
    const { max_tokens: _max, ...countable } = BODY;
    const counted = await provider.countTokens({
      model: 'claude-sonnet-5-5',
      native: {
        format: 'anthropic-messages',
        body: countable,
        headers: { 'anthropic-beta': 'token-counting' },
      },
    });
    expect(upstream.lastRequest?.path).toBe('/v1/messages/count_tokens');
    expect(JSON.stringify(upstream.lastBody)).toBe(
      JSON.stringify({ ...countable, model: 'claude-sonnet-5-5' }),
    );
    expect(counted).toMatchObject({ inputTokens: 1234, source: 'reported', provider: 'anthropic' });
    expect(JSON.parse(counted.native?.body.toString() ?? '')).toEqual({ input_tokens: 1234 });
  });
});
