import { anthropicFake, anthropicMessage, openAIFake } from '@aigw/ai/testing';
import Anthropic from '@anthropic-ai/sdk';
import type { RawMessageStreamEvent, Tool } from '@anthropic-ai/sdk/resources/messages';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DatabaseService } from '../src/database/database.service.js';
import { type Gateway, startGateway } from './support/gateway.js';

const weatherTool: Tool = {
  name: 'get_weather',
  description: 'Weather now',
  input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};

interface Case {
  provider: 'openai' | 'anthropic';
  /** The usage block the answer must carry: the fake's own counts. */
  usage: Anthropic.Messages.Usage | Record<string, number | null>;
  /** The row's counts: all input, cache reads and writes, all output. */
  row: { promptTokens: number; cacheReadTokens: number | null; cacheWriteTokens: number | null };
  completionTokens: number;
}

const CASES: [string, string, Case][] = [
  [
    'a Claude model (Anthropic behind)',
    'claude-haiku-4-5',
    {
      provider: 'anthropic',
      usage: {
        input_tokens: 25,
        cache_read_input_tokens: 3000,
        cache_creation_input_tokens: 1200,
        output_tokens: 12,
      },
      row: { promptTokens: 4225, cacheReadTokens: 3000, cacheWriteTokens: 1200 },
      completionTokens: 12,
    },
  ],
  [
    'a GPT model (OpenAI behind)',
    'openai/gpt-4o-mini',
    {
      provider: 'openai',
      // OpenAI reports no cache writes: unknown, so null rather than a made-up 0.
      usage: {
        input_tokens: 21,
        cache_read_input_tokens: 0,
        cache_creation_input_tokens: null,
        output_tokens: 9,
      },
      row: { promptTokens: 21, cacheReadTokens: 0, cacheWriteTokens: null },
      completionTokens: 9,
    },
  ],
];

describe('POST /v1/messages with the official @anthropic-ai/sdk client', () => {
  let gateway: Gateway;
  let client: Anthropic;
  let key: string;
  let keyId: string;

  beforeAll(async () => {
    gateway = await startGateway();
    ({ key, id: keyId } = await gateway.issueKey('carol'));
    // `apiKey` makes the SDK send `x-api-key`.
    client = new Anthropic({ apiKey: key, baseURL: gateway.url, maxRetries: 0 });
  });
  afterAll(() => gateway?.close());

  const rowsOf = async (requestId: string | null) => {
    await gateway.flushUsage();
    return gateway.running.app
      .get(DatabaseService)
      .prisma.aIUsageLog.findMany({ where: { requestId: requestId ?? '' } });
  };

  describe.each(CASES)('to %s', (_label, model, expected) => {
    const upstream = () => (expected.provider === 'openai' ? gateway.openai : gateway.anthropic);
    const restore = () => {
      gateway.openai.handler = openAIFake();
      gateway.anthropic.handler = anthropicFake();
    };

    it('answers a Message with the fake usage, names the provider, and records the caller', async () => {
      const { data, response } = await client.messages
        .create({
          model,
          max_tokens: 100,
          system: 'Be brief.',
          messages: [{ role: 'user', content: 'Hi' }],
        })
        .withResponse();
      expect(data).toMatchObject({
        type: 'message',
        role: 'assistant',
        model,
        content: [{ type: 'text', text: 'Hello from the fake upstream.' }],
        stop_reason: 'end_turn',
        stop_sequence: null,
      });
      if (expected.provider === 'anthropic') {
        // The native lane: the provider's own answer, every field of it.
        expect(data).toEqual(anthropicMessage({}, model));
      } else {
        expect(data.id).toMatch(/^msg_[0-9a-f]{32}$/);
        expect(data.usage).toEqual(expected.usage);
      }
      expect(response.headers.get('x-aigw-provider')).toBe(expected.provider);
      expect(response.headers.get('x-aigw-model')).toBe(model.replace(/^openai\//, ''));

      const sent = upstream().lastBody;
      if (expected.provider === 'openai') {
        expect(sent.messages).toEqual([
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'Hi' },
        ]);
        expect(sent.max_completion_tokens).toBe(100);
      } else {
        expect(sent).toEqual({
          model,
          max_tokens: 100,
          system: 'Be brief.',
          messages: [{ role: 'user', content: 'Hi' }],
        });
      }

      const [row, ...others] = await rowsOf(response.headers.get('x-request-id'));
      expect(others).toEqual([]);
      expect(row).toMatchObject({
        userId: 'carol',
        apiKeyId: keyId,
        provider: expected.provider,
        requestedModel: model,
        stream: false,
        isSuccess: true,
        usageSource: 'reported',
        ...expected.row,
        completionTokens: expected.completionTokens,
      });
    });

    it('streams events the SDK reads (create with stream: true), usage in message_delta', async () => {
      const { data: stream, response } = await client.messages
        .create({ model, max_tokens: 100, messages: [{ role: 'user', content: 'Hi' }], stream: true })
        .withResponse();
      expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
      expect(response.headers.get('x-aigw-provider')).toBe(expected.provider);
      const events: RawMessageStreamEvent[] = [];
      for await (const event of stream) events.push(event);

      const types = [...new Set(events.map((e) => e.type))];
      expect(types).toEqual([
        'message_start',
        'content_block_start',
        'content_block_delta',
        'content_block_stop',
        'message_delta',
        'message_stop',
      ]);
      const start = events[0] as Extract<RawMessageStreamEvent, { type: 'message_start' }>;
      expect(start.message).toMatchObject({ model, role: 'assistant', content: [] });
      const text = events
        .map((e) => (e.type === 'content_block_delta' && e.delta.type === 'text_delta' ? e.delta.text : ''))
        .join('');
      expect(text).toBe('Hello from the fake upstream.');
      const delta = events.find((e) => e.type === 'message_delta');
      expect(delta).toMatchObject({ delta: { stop_reason: 'end_turn' }, usage: expected.usage });

      // The stream took the reply over: nothing tried to send it a second time.
      expect(gateway.running.logs.text).not.toMatch(/already sent/i);
      const [row] = await rowsOf(response.headers.get('x-request-id'));
      expect(row).toMatchObject({
        userId: 'carol',
        apiKeyId: keyId,
        stream: true,
        isSuccess: true,
        ...expected.row,
      });
    });

    it('streams a message the SDK helper accumulates (messages.stream().finalMessage())', async () => {
      const stream = client.messages.stream({
        model,
        max_tokens: 100,
        messages: [{ role: 'user', content: 'Hi' }],
      });
      let text = '';
      stream.on('text', (delta) => {
        text += delta;
      });
      const message = await stream.finalMessage();
      expect(text).toBe('Hello from the fake upstream.');
      expect(message).toMatchObject({
        model,
        content: [{ type: 'text', text: 'Hello from the fake upstream.' }],
        stop_reason: 'end_turn',
        usage: expected.usage,
      });
    });

    it('round-trips tools: tool_use out (streamed and not), tool_result back in', async () => {
      upstream().handler =
        expected.provider === 'openai'
          ? openAIFake({ toolCalls: [{ id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' }] })
          : anthropicFake({ toolCalls: [{ id: 'call_1', name: 'get_weather', input: { city: 'Paris' } }] });
      try {
        const params = {
          model,
          max_tokens: 100,
          tools: [weatherTool],
          tool_choice: { type: 'any' as const },
          messages: [{ role: 'user' as const, content: 'Weather in Paris?' }],
        };
        const first = await client.messages.create(params);
        expect(first.stop_reason).toBe('tool_use');
        expect(first.content).toEqual([
          {
            type: 'tool_use',
            id: 'call_1',
            name: 'get_weather',
            input: { city: 'Paris' },
            // The native lane keeps what the provider added (the fake, like the API, says who called).
            ...(expected.provider === 'anthropic' ? { caller: { type: 'direct' } } : {}),
          },
        ]);
        const sentTools = upstream().lastBody;
        if (expected.provider === 'openai') {
          expect(sentTools.tools).toEqual([
            {
              type: 'function',
              function: {
                name: 'get_weather',
                description: 'Weather now',
                parameters: weatherTool.input_schema,
              },
            },
          ]);
          expect(sentTools.tool_choice).toBe('required');
        } else {
          expect(sentTools.tools).toEqual([weatherTool]);
          expect(sentTools.tool_choice).toEqual({ type: 'any' });
        }

        const streamed = await client.messages.stream(params).finalMessage();
        expect(streamed.stop_reason).toBe('tool_use');
        expect(streamed.content).toEqual([
          expect.objectContaining({
            type: 'tool_use',
            id: 'call_1',
            name: 'get_weather',
            input: { city: 'Paris' },
          }),
        ]);

        upstream().handler =
          expected.provider === 'openai' ? openAIFake({ text: 'Sunny.' }) : anthropicFake({ text: 'Sunny.' });
        const second = await client.messages.create({
          ...params,
          tool_choice: { type: 'auto' },
          messages: [
            ...params.messages,
            { role: 'assistant', content: first.content },
            {
              role: 'user',
              content: [{ type: 'tool_result', tool_use_id: 'call_1', content: '{"sky":"sunny"}' }],
            },
          ],
        });
        expect(second.content).toEqual([
          { type: 'text', text: 'Sunny.', ...(expected.provider === 'anthropic' ? { citations: null } : {}) },
        ]);
        const sent = upstream().lastBody;
        if (expected.provider === 'openai') {
          expect(sent.messages.slice(1)).toEqual([
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
        } else {
          expect(sent.messages.slice(1)).toEqual([
            { role: 'assistant', content: first.content },
            {
              role: 'user',
              content: [{ type: 'tool_result', tool_use_id: 'call_1', content: '{"sky":"sunny"}' }],
            },
          ]);
        }
      } finally {
        restore();
      }
    });
  });

  it('passes images, stop sequences and sampling settings on to the provider', async () => {
    await client.messages.create({
      model: 'gpt-4o-mini',
      max_tokens: 50,
      // SDK 1.12 (API 2026-10-21) no longer types sampling settings; older clients send them.
      ...({ temperature: 0.2, top_p: 0.9 } as object),
      stop_sequences: ['END'],
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is this?' },
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
            { type: 'image', source: { type: 'url', url: 'https://example.com/cat.jpg' } },
          ],
        },
      ],
    });
    expect(gateway.openai.lastBody).toMatchObject({
      temperature: 0.2,
      top_p: 0.9,
      stop: ['END'],
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is this?' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
            { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg' } },
          ],
        },
      ],
    });
  });

  it('passes thinking and fields it does not know on to an Anthropic provider, with no warning', async () => {
    const { response } = await client.messages
      .create({
        model: 'claude-haiku-4-5',
        max_tokens: 2000,
        thinking: { type: 'enabled', budget_tokens: 1024 },
        messages: [{ role: 'user', content: 'Hi' }],
        // @ts-expect-error: a field the gateway does not model
        some_future_field: { x: 1 },
      })
      .withResponse();
    expect(response.headers.get('x-aigw-warnings')).toBeNull();
    expect(gateway.anthropic.lastBody).toMatchObject({
      thinking: { type: 'enabled', budget_tokens: 1024 },
      some_future_field: { x: 1 },
    });
  });

  it('translating for another provider, says in x-aigw-warnings what it could not pass on', async () => {
    const { data, response } = await client.messages
      .create({
        model: 'gpt-4o-mini',
        max_tokens: 2000,
        thinking: { type: 'enabled', budget_tokens: 1024 },
        messages: [{ role: 'user', content: 'Hi' }],
        // @ts-expect-error: a field no provider knows
        some_future_field: { x: 1 },
      })
      .withResponse();
    expect(data.content[0]).toMatchObject({ type: 'text' });
    const warnings = response.headers.get('x-aigw-warnings') ?? '';
    // The thinking budget is carried over, but gpt-4o-mini does not reason: the provider says so.
    expect(warnings).toMatch(
      /reasoning was not sent: the catalog does not list gpt-4o-mini as a reasoning model/,
    );
    expect(warnings).toMatch(/unsupported fields were ignored: some_future_field/);
    expect(gateway.openai.lastBody).not.toHaveProperty('thinking');
    expect(gateway.openai.lastBody).not.toHaveProperty('some_future_field');
    const [row] = await rowsOf(response.headers.get('x-request-id'));
    // The row names the same warnings: the translation's, then the provider's.
    expect((row?.metadata as { warnings?: string[] } | undefined)?.warnings).toEqual(warnings.split('; '));
  });

  describe('authentication', () => {
    it('accepts the key as a bearer token (authToken)', async () => {
      const bearer = new Anthropic({ apiKey: null, authToken: key, baseURL: gateway.url, maxRetries: 0 });
      const message = await bearer.messages.create({
        model: 'claude-haiku-4-5',
        max_tokens: 10,
        messages: [{ role: 'user', content: 'Hi' }],
      });
      expect(message.content[0]).toMatchObject({ type: 'text', text: 'Hello from the fake upstream.' });
    });

    it.each([
      ['a wrong key', 'sk-gw-not-a-real-key'],
      ['a key of another format', 'sk-ant-api03-whatever'],
    ])('refuses %s with 401 in Anthropic format (AuthenticationError)', async (_label, wrong) => {
      const stranger = new Anthropic({ apiKey: wrong, baseURL: gateway.url, maxRetries: 0 });
      const error = await stranger.messages
        .create({ model: 'claude-haiku-4-5', max_tokens: 10, messages: [{ role: 'user', content: 'Hi' }] })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Anthropic.AuthenticationError);
      expect((error as InstanceType<typeof Anthropic.AuthenticationError>).error).toEqual({
        type: 'error',
        error: { type: 'authentication_error', message: 'Invalid or revoked API key.' },
      });
    });

    it('refuses a revoked key, and a request with no key at all', async () => {
      const { ApiKeysService } = await import('../src/keys/api-keys.service.js');
      const revoked = await gateway.issueKey('dave');
      await gateway.running.app.get(ApiKeysService).revoke(revoked.id);
      const dave = new Anthropic({ apiKey: revoked.key, baseURL: gateway.url, maxRetries: 0 });
      await expect(
        dave.messages.create({
          model: 'claude-haiku-4-5',
          max_tokens: 10,
          messages: [{ role: 'user', content: 'Hi' }],
        }),
      ).rejects.toBeInstanceOf(Anthropic.AuthenticationError);

      const res = await fetch(`${gateway.url}/v1/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'claude-haiku-4-5', max_tokens: 10, messages: [] }),
      });
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({
        type: 'error',
        error: { type: 'authentication_error', message: expect.stringMatching(/Missing API key/) },
      });
    });
  });
});
