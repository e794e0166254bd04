import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import OpenAI from 'openai';
import { sharedFetch } from '../http/shared-fetch.js';
import { anthropicFake, FakeUpstream, openAIFake, type RecordedRequest } from '../testing/index.js';
import type { ChatStreamPart } from '../types/index.js';
import { AnthropicProvider } from './anthropic/anthropic-provider.js';
import { OpenAIChatProvider } from './openai/openai-chat-provider.js';
import { reuseRequestHeaders } from './reused-request-headers.js';

const OPENAI_KEY = 'sk-test-reused-headers-0000000000';
const ANTHROPIC_KEY = 'sk-ant-test-reused-headers-00000';
const HEADERS = { 'x-gateway': 'aigw' };

const drain = async (parts: AsyncIterable<ChatStreamPart>) => {
  for await (const _ of parts) {
    // read to the end
  }
};

/** What went over the wire, minus what differs between two calls by design. */
const wire = (request: RecordedRequest | undefined) => ({
  method: request?.method,
  path: request?.path,
  headers: request?.headers,
  body: request?.body,
});

describe('reused SDK request headers', () => {
  const openaiUpstream = new FakeUpstream(openAIFake());
  const anthropicUpstream = new FakeUpstream(anthropicFake({ apiKey: ANTHROPIC_KEY }));
  let openaiUrl = '';
  let anthropicUrl = '';
  beforeAll(async () => {
    openaiUrl = `${await openaiUpstream.listen()}/v1`;
    anthropicUrl = await anthropicUpstream.listen();
  });
  afterAll(async () => {
    await openaiUpstream.close();
    await anthropicUpstream.close();
  });
  beforeEach(() => {
    openaiUpstream.requests.length = 0;
    anthropicUpstream.requests.length = 0;
  });

  it('sends what the OpenAI SDK itself sends, call after call, chat, stream and embeddings', async () => {
    const provider = new OpenAIChatProvider({
      name: 'openai',
      apiKey: OPENAI_KEY,
      baseUrl: openaiUrl,
      headers: HEADERS,
      models: () => [],
    });
    const ask = { model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content: 'Hi' }] };
    await provider.chat(ask);
    await provider.chat({ ...ask, messages: [{ role: 'user', content: 'Again, with ü and 😀' }] });
    await drain(provider.chatStream(ask));
    await provider.embed?.({ model: 'text-embedding-3-small', input: ['one', 'two'] });
    await provider.chat(ask);
    const ours = openaiUpstream.requests.splice(0);

    // The same bodies through an SDK client as the SDK builds them, with the same options.
    const plain = new OpenAI({
      apiKey: OPENAI_KEY,
      baseURL: openaiUrl,
      timeout: 600_000,
      maxRetries: 0,
      defaultHeaders: HEADERS,
      fetch: sharedFetch,
    });
    for (const request of ours) {
      const body = request.body as Record<string, unknown>;
      if (request.path.endsWith('/embeddings')) {
        await plain.embeddings.create(body as unknown as OpenAI.EmbeddingCreateParams);
      } else if (body.stream) {
        for await (const _ of await plain.chat.completions.create(
          body as unknown as OpenAI.ChatCompletionCreateParamsStreaming,
        )) {
          // read to the end
        }
      } else {
        await plain.chat.completions.create(body as unknown as OpenAI.ChatCompletionCreateParamsNonStreaming);
      }
    }
    const theirs = openaiUpstream.requests;
    expect(ours).toHaveLength(5);
    expect(ours.map(wire)).toEqual(theirs.map(wire));
    expect(ours[4]?.headers['user-agent']).toMatch(/^OpenAI\/JS /);
    expect(ours[4]?.headers.authorization).toBe(`Bearer ${OPENAI_KEY}`);
    expect(ours[4]?.headers['x-gateway']).toBe('aigw');
  });

  it('sends what the Anthropic SDK itself sends, call after call, message and stream', async () => {
    const sdkBuild = jest.spyOn(Anthropic.prototype, 'buildRequest');
    const provider = new AnthropicProvider({
      name: 'anthropic',
      apiKey: ANTHROPIC_KEY,
      baseUrl: anthropicUrl,
      headers: HEADERS,
      models: () => [],
    });
    const ask = {
      model: 'claude-haiku-4-5',
      maxTokens: 64,
      messages: [{ role: 'user' as const, content: 'Hi' }],
    };
    await provider.chat(ask);
    await drain(provider.chatStream(ask));
    await provider.chat({ ...ask, messages: [{ role: 'user', content: 'Again' }] });
    // The SDK built the first call's headers; the next two reused them.
    expect(sdkBuild).toHaveBeenCalledTimes(1);
    sdkBuild.mockRestore();
    const ours = anthropicUpstream.requests.splice(0);

    const plain = new Anthropic({
      apiKey: ANTHROPIC_KEY,
      baseURL: anthropicUrl,
      timeout: 600_000,
      maxRetries: 0,
      defaultHeaders: HEADERS,
      fetch: sharedFetch,
    });
    for (const request of ours) {
      const body = request.body as Record<string, unknown>;
      if (body.stream) {
        const stream = (await plain.post('/v1/messages', { body, stream: true })) as AsyncIterable<unknown>;
        for await (const _ of stream) {
          // read to the end
        }
      } else {
        await plain.post('/v1/messages', { body });
      }
    }
    expect(ours).toHaveLength(3);
    expect(ours.map(wire)).toEqual(anthropicUpstream.requests.map(wire));
    expect(ours[2]?.headers.authorization).toBe(`Bearer ${ANTHROPIC_KEY}`);
    expect(ours[2]?.headers['user-agent']).toMatch(/^Anthropic\/JS /);
  });

  it('builds headers once per kind of call, and leaves calls with their own options to the SDK', async () => {
    const sdkBuild = jest.spyOn(OpenAI.prototype, 'buildRequest');
    try {
      const client = reuseRequestHeaders(
        new OpenAI({ apiKey: OPENAI_KEY, baseURL: openaiUrl, maxRetries: 0, fetch: sharedFetch }),
        true,
      );
      const chat = { model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content: 'Hi' }] };
      await client.chat.completions.create(chat);
      await client.chat.completions.create(chat);
      await client.chat.completions.create(chat);
      expect(sdkBuild).toHaveBeenCalledTimes(1);

      // Per-call headers, a query, a timeout: the SDK builds those, and the kept headers stay as they were.
      await client.chat.completions.create(chat, { headers: { 'x-one-call': 'yes' } });
      await client.post('/chat/completions', { body: chat, query: { tag: 'q' } });
      await client.chat.completions.create(chat, { timeout: 5_000 });
      await client.chat.completions.create(chat);
      expect(sdkBuild).toHaveBeenCalledTimes(4);
      const [withHeader, withQuery, withTimeout, plainAgain] = openaiUpstream.requests.slice(3);
      expect(withHeader?.headers['x-one-call']).toBe('yes');
      expect(withQuery?.path).toBe('/v1/chat/completions?tag=q');
      expect(withTimeout?.headers['x-stainless-timeout']).toBe('5');
      expect(plainAgain?.headers['x-one-call']).toBeUndefined();
      expect(plainAgain?.path).toBe('/v1/chat/completions');
      expect(plainAgain?.headers['x-stainless-timeout']).toBeUndefined();
      expect(wire(plainAgain)).toEqual(wire(openaiUpstream.requests[0]));

      // Without a fixed key (credentials the SDK may refresh), every call is the SDK's.
      const unsure = reuseRequestHeaders(
        new OpenAI({ apiKey: OPENAI_KEY, baseURL: openaiUrl, maxRetries: 0, fetch: sharedFetch }),
        false,
      );
      await unsure.chat.completions.create(chat);
      await unsure.chat.completions.create(chat);
      expect(sdkBuild).toHaveBeenCalledTimes(6);
    } finally {
      sdkBuild.mockRestore();
    }
  });
});
