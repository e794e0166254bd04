import { readFileSync } from 'node:fs';
import { type FakeReply, readSseChunks } from '@aigw/ai/testing';
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Decimal } from 'decimal.js';
import OpenAI from 'openai';
import type {
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionCreateParamsStreaming,
} from 'openai/resources/chat/completions';
import { DatabaseService } from '../src/database/database.service.js';
import {
  ANTHROPIC_UPSTREAM_KEY,
  type Gateway,
  OPENAI_UPSTREAM_KEY,
  startGateway,
} from './support/gateway.js';

// Golden pairs for the native lane: the upstream receives the client's JSON but for `model`,
// and the client receives the upstream's answer, byte for byte.
const fixture = (name: string) =>
  readFileSync(new URL(`./fixtures/fidelity/${name}`, import.meta.url), 'utf8');
const json = <T>(name: string) => JSON.parse(fixture(name)) as T;
/** The SSE text a fake upstream sends for a `*.chunks.txt` fixture (each event, then a blank line). */
const sseText = (events: string[]) => events.map((event) => `${event}\n\n`).join('');

const CLAUDE_CODE_HEADERS = {
  'anthropic-version': '2023-06-01',
  'anthropic-beta':
    'claude-code-20250219,interleaved-thinking-2025-05-14,fine-grained-tool-streaming-2025-05-14,context-management-2025-06-27',
  'x-app': 'cli',
};

describe('the native lane: requests reach the provider whole, answers reach the caller whole', () => {
  let gateway: Gateway;
  let key: string;
  let anthropic: Anthropic;
  let openai: OpenAI;

  beforeAll(async () => {
    gateway = await startGateway();
    ({ key } = await gateway.issueKey('fidelity'));
    // logLevel off: the SDK warns that the fixture's model is deprecated.
    anthropic = new Anthropic({ apiKey: key, baseURL: gateway.url, maxRetries: 0, logLevel: 'off' });
    openai = new OpenAI({ apiKey: key, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
  });
  afterAll(() => gateway?.close());

  const rowsOf = async (requestId: string | null) => {
    await gateway.flushUsage();
    return gateway.running.app
      .get(DatabaseService)
      .prisma.aIUsageLog.findMany({ where: { requestId: requestId ?? '' }, orderBy: { attempt: 'asc' } });
  };

  /** The JSON text the upstream received equals the client's body with only `model` changed (in place). */
  const expectSentAsIs = (received: unknown, sent: Record<string, unknown>, model: string) =>
    expect(JSON.stringify(received)).toBe(JSON.stringify({ ...sent, model }));

  describe('Anthropic Messages to an Anthropic provider (a Claude Code request)', () => {
    const request = json<Record<string, unknown>>('claude-code.request.json');
    const events = readSseChunks(fixture('claude-code-answer.chunks.txt'));
    const streamed = (): FakeReply => ({ kind: 'sse', events });

    it('streams: the provider gets the body, betas and version as sent; the caller gets its bytes', async () => {
      gateway.anthropic.enqueue(streamed());
      // Claude Code calls the SDK's beta endpoint, which adds `?beta=true`.
      const res = await fetch(`${gateway.url}/v1/messages?beta=true`, {
        method: 'POST',
        headers: { 'x-api-key': key, 'content-type': 'application/json', ...CLAUDE_CODE_HEADERS },
        body: JSON.stringify({ ...request, model: 'anthropic/claude-sonnet-4-5' }),
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
      expect(await res.text()).toBe(sseText(events));

      const upstream = gateway.anthropic.lastRequest;
      expect(upstream?.path).toBe('/v1/messages?beta=true');
      expectSentAsIs(upstream?.body, request, 'claude-sonnet-4-5');
      expect(upstream?.headers).toMatchObject({
        'anthropic-version': CLAUDE_CODE_HEADERS['anthropic-version'],
        'anthropic-beta': CLAUDE_CODE_HEADERS['anthropic-beta'],
        'x-api-key': ANTHROPIC_UPSTREAM_KEY,
      });
      // The caller's credentials and anything else of its own stay with the gateway.
      expect(upstream?.headers.authorization).toBeUndefined();
      expect(upstream?.headers['x-app']).toBeUndefined();
      expect(JSON.stringify(upstream?.headers)).not.toContain(key);

      // Prompt caching shows up in the row, each kind of token at its own rate.
      const [row, ...others] = await rowsOf(res.headers.get('x-request-id'));
      expect(others).toEqual([]);
      expect(row).toMatchObject({
        provider: 'anthropic',
        model: 'claude-sonnet-4-5',
        requestedModel: 'anthropic/claude-sonnet-4-5',
        stream: true,
        isSuccess: true,
        usageSource: 'reported',
        promptTokens: 48 + 2000 + 18000,
        cacheReadTokens: 18000,
        cacheWriteTokens: 2000,
        completionTokens: 96,
        reasoningTokens: 31,
      });
      const pricing = row?.pricing as Record<string, string>;
      expect(new Decimal(pricing.cachedInputPerMTok as string).lt(pricing.inputPerMTok as string)).toBe(true);
      const expected = new Decimal(48)
        .mul(pricing.inputPerMTok as string)
        .add(new Decimal(18000).mul(pricing.cachedInputPerMTok as string))
        .add(new Decimal(2000).mul(pricing.cacheWritePerMTok as string))
        .add(new Decimal(96).mul(pricing.outputPerMTok as string))
        .div(1_000_000);
      expect(new Decimal(row?.costUsd?.toString() ?? 'NaN').eq(expected)).toBe(true);
    });

    it('streams to the unchanged SDK: it reads every event, unknown ones skipped, thinking signed', async () => {
      gateway.anthropic.enqueue(streamed());
      const betas = ['interleaved-thinking-2025-05-14', 'fine-grained-tool-streaming-2025-05-14'];
      const stream = anthropic.beta.messages.stream({ ...request, betas } as never, {
        headers: { 'anthropic-version': '2023-06-01' },
      });
      const seen: string[] = [];
      stream.on('streamEvent', (event) => seen.push(event.type));
      const message = await stream.finalMessage();
      const upstream = gateway.anthropic.lastRequest;
      expect(upstream?.headers['anthropic-beta']).toContain(betas.join(','));
      expectSentAsIs(upstream?.body, { ...request }, 'claude-sonnet-4-5');
      expect(seen[0]).toBe('message_start');
      expect(seen.at(-1)).toBe('message_stop');
      expect(message.content).toEqual([
        {
          type: 'thinking',
          thinking: 'The name foo is never declared; read the file.',
          signature: 'EqQBCkYIBxgCKkDzSignedThinkingBlockTwo',
        },
        {
          type: 'text',
          text: 'The build fails because `foo` is undeclared. Reading the file — naïve fix ahead 🚧.',
        },
        {
          type: 'tool_use',
          id: 'toolu_01ReadFile',
          name: 'Read',
          input: { file_path: 'src/index.ts' },
          caller: { type: 'direct' },
        },
      ]);
      expect(message.usage).toMatchObject({ cache_read_input_tokens: 18000, output_tokens: 96 });
    });

    it('answers without streaming: the provider JSON, every field of it, as it came', async () => {
      const answer = fixture(
        '../../../../../packages/ai/src/providers/anthropic/__fixtures__/message-thinking-tool-use.json',
      );
      gateway.anthropic.enqueue({ kind: 'json', body: JSON.parse(answer) });
      const { stream: _stream, ...unstreamed } = request;
      const { data, response } = await anthropic.messages
        // A timeout of its own, or the SDK refuses a non-streaming call this large.
        .create({ ...(unstreamed as object), model: 'claude-sonnet-4-5' } as never, {
          headers: CLAUDE_CODE_HEADERS,
          timeout: 60_000,
        })
        .withResponse();
      expect(data).toEqual(JSON.parse(answer));
      expect(response.headers.get('x-aigw-provider')).toBe('anthropic');
      expectSentAsIs(gateway.anthropic.lastBody, unstreamed, 'claude-sonnet-4-5');
    });

    it('counts tokens natively (the body as sent, the answer as it came), and writes no usage row', async () => {
      const { max_tokens: _max, stream: _stream, metadata: _meta, ...countable } = request;
      const res = await fetch(`${gateway.url}/v1/messages/count_tokens`, {
        method: 'POST',
        headers: {
          'x-api-key': key,
          'content-type': 'application/json',
          'anthropic-version': '2023-06-01',
          'anthropic-beta': 'token-counting-2024-11-01',
        },
        body: JSON.stringify(countable),
      });
      expect(res.status).toBe(200);
      const upstream = gateway.anthropic.lastRequest;
      expect(upstream?.path).toBe('/v1/messages/count_tokens');
      expectSentAsIs(upstream?.body, countable, 'claude-sonnet-4-5');
      expect(upstream?.headers['anthropic-beta']).toBe('token-counting-2024-11-01');
      const counted = (await res.json()) as { input_tokens: number };
      expect(counted).toEqual({ input_tokens: expect.any(Number) });
      expect(counted.input_tokens).toBeGreaterThan(100);
      expect(res.headers.get('x-aigw-token-count')).toBeNull();
      expect(await rowsOf(res.headers.get('x-request-id'))).toEqual([]);

      // The SDK's own method reads the same answer.
      const viaSdk = await anthropic.messages.countTokens(countable as never);
      expect(viaSdk).toEqual(counted);
    });

    it('estimates the count for a provider without one, and says so in a header', async () => {
      const before = gateway.openai.requests.length;
      const res = await fetch(`${gateway.url}/v1/messages/count_tokens`, {
        method: 'POST',
        headers: { 'x-api-key': key, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hello there' }] }),
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('x-aigw-token-count')).toBe('estimated; tokenizer=o200k_base');
      expect(res.headers.get('x-aigw-provider')).toBe('openai');
      // 3 of framing, 4 for the message, 2 for its text.
      expect(await res.json()).toEqual({ input_tokens: 9 });
      expect(gateway.openai.requests.length).toBe(before);
    });
  });

  describe('Chat Completions to an OpenAI provider', () => {
    const request = json<Record<string, unknown>>('openai-n2.request.json');
    const answer = fixture('openai-n2.json');

    it('answers n choices with logprobs: the body as sent, the answer as it came', async () => {
      gateway.openai.enqueue({ kind: 'json', body: JSON.parse(answer) });
      const { data, response } = await openai.chat.completions
        .create(
          { ...request, model: 'openai/gpt-4o-mini' } as unknown as ChatCompletionCreateParamsNonStreaming,
          {
            headers: { 'OpenAI-Beta': 'chat-extras=v1' },
          },
        )
        .withResponse();
      expect(data).toEqual(JSON.parse(answer));
      expect(data.choices).toHaveLength(2);

      const upstream = gateway.openai.lastRequest;
      expect(upstream?.path).toBe('/v1/chat/completions');
      expectSentAsIs(upstream?.body, request, 'gpt-4o-mini');
      expect(upstream?.headers).toMatchObject({
        authorization: `Bearer ${OPENAI_UPSTREAM_KEY}`,
        'openai-beta': 'chat-extras=v1',
      });
      expect(JSON.stringify(upstream?.headers)).not.toContain(key);

      const [row] = await rowsOf(response.headers.get('x-request-id'));
      expect(row).toMatchObject({
        provider: 'openai',
        model: 'gpt-4o-mini',
        promptTokens: 1123,
        cacheReadTokens: 1024,
        completionTokens: 9,
        usageSource: 'reported',
        isSuccess: true,
      });
    });

    it('streams n choices: the chunks come back in the same sequence, byte for byte', async () => {
      const events = readSseChunks(fixture('openai-n2-stream.chunks.txt'));
      gateway.openai.enqueue({ kind: 'sse', events });
      const streamRequest = { ...request, stream: true, stream_options: { include_usage: true } };
      const res = await fetch(`${gateway.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify(streamRequest),
      });
      expect(res.status).toBe(200);
      expect(await res.text()).toBe(sseText(events));
      expectSentAsIs(gateway.openai.lastBody, streamRequest, 'gpt-4o-mini');
      const [row] = await rowsOf(res.headers.get('x-request-id'));
      expect(row).toMatchObject({
        stream: true,
        promptTokens: 1123,
        cacheReadTokens: 1024,
        completionTokens: 9,
      });

      // The unchanged SDK reads both choices from the same bytes.
      gateway.openai.enqueue({ kind: 'sse', events });
      const texts = ['', ''];
      const stream = await openai.chat.completions.create(
        streamRequest as unknown as ChatCompletionCreateParamsStreaming,
      );
      for await (const chunk of stream) {
        for (const choice of chunk.choices) texts[choice.index] += choice.delta.content ?? '';
      }
      expect(texts).toEqual(['A cat.', 'A sleeping cat.']);
    });
  });
});
