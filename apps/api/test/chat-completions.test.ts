import { anthropicFake, openAIFake } from '@aigw/ai/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import OpenAI from 'openai';
import { DatabaseService } from '../src/database/database.service.js';
import {
  ANTHROPIC_UPSTREAM_KEY,
  type Gateway,
  OPENAI_UPSTREAM_KEY,
  startGateway,
} from './support/gateway.js';
import { openAISpecErrors } from './support/openai-spec/openai-spec.js';

const weatherTool = {
  type: 'function' as const,
  function: {
    name: 'get_weather',
    description: 'Weather now',
    parameters: { type: 'object', properties: { city: { type: 'string' } } },
  },
};

describe('POST /v1/chat/completions with the official openai client', () => {
  let gateway: Gateway;
  let client: OpenAI;
  let keyId: string;

  beforeAll(async () => {
    gateway = await startGateway();
    const issued = await gateway.issueKey('alice');
    keyId = issued.id;
    client = new OpenAI({ apiKey: issued.key, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
  });
  afterAll(() => gateway?.close());

  const rowsOf = async (requestId: string) => {
    await gateway.flushUsage();
    return gateway.running.app.get(DatabaseService).prisma.aIUsageLog.findMany({ where: { requestId } });
  };

  describe.each([
    ['an OpenAI model', 'gpt-4o-mini', 'openai', { prompt: 21, completion: 9, cached: 0 }],
    [
      'a Claude model',
      'anthropic/claude-sonnet-4-5',
      'anthropic',
      { prompt: 4225, completion: 12, cached: 3000 },
    ],
  ])('to %s', (_label, model, provider, usage) => {
    it('answers in OpenAI format that conforms to the spec, and records the caller', async () => {
      const { data, response } = await client.chat.completions
        .create({
          model,
          messages: [
            { role: 'system', content: 'Be brief.' },
            { role: 'user', content: 'Hi' },
          ],
          max_tokens: 50,
        })
        .withResponse();
      expect(openAISpecErrors('CreateChatCompletionResponse', data)).toEqual([]);
      expect(data.choices[0]?.message.content).toBe('Hello from the fake upstream.');
      expect(data.usage).toMatchObject({
        prompt_tokens: usage.prompt,
        completion_tokens: usage.completion,
        prompt_tokens_details: { cached_tokens: usage.cached },
      });
      expect(response.headers.get('x-aigw-provider')).toBe(provider);
      const requestId = response.headers.get('x-request-id') as string;
      const [row] = await rowsOf(requestId);
      expect(row).toMatchObject({
        userId: 'alice',
        apiKeyId: keyId,
        provider,
        requestedModel: model,
        promptTokens: usage.prompt,
        isSuccess: true,
        httpStatus: 200,
      });
    });

    it('streams chunks that conform to the spec, ending with a usage chunk and [DONE]', async () => {
      const stream = await client.chat.completions.create({
        model,
        messages: [{ role: 'user', content: 'Hi' }],
        stream: true,
        stream_options: { include_usage: true },
      });
      let text = '';
      const chunks = [];
      for await (const chunk of stream) {
        expect(openAISpecErrors('CreateChatCompletionStreamResponse', chunk)).toEqual([]);
        chunks.push(chunk);
        text += chunk.choices[0]?.delta.content ?? '';
      }
      expect(text).toBe('Hello from the fake upstream.');
      expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe('stop');
      expect(chunks.at(-1)).toMatchObject({
        choices: [],
        usage: { prompt_tokens: usage.prompt, completion_tokens: usage.completion },
      });
    });

    it('round-trips a tool call, streaming and not', async () => {
      const upstream = provider === 'openai' ? gateway.openai : gateway.anthropic;
      upstream.handler =
        provider === 'openai'
          ? openAIFake({ toolCalls: [{ id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' }] })
          : anthropicFake({ toolCalls: [{ id: 'call_1', name: 'get_weather', input: { city: 'Paris' } }] });
      try {
        const first = await client.chat.completions.create({
          model,
          messages: [{ role: 'user', content: 'Weather in Paris?' }],
          tools: [weatherTool],
        });
        expect(openAISpecErrors('CreateChatCompletionResponse', first)).toEqual([]);
        expect(first.choices[0]?.finish_reason).toBe('tool_calls');
        const call = first.choices[0]?.message.tool_calls?.[0];
        expect(call).toMatchObject({ id: 'call_1', type: 'function', function: { name: 'get_weather' } });
        expect(JSON.parse((call as { function: { arguments: string } }).function.arguments)).toEqual({
          city: 'Paris',
        });

        const stream = await client.chat.completions.create({
          model,
          messages: [{ role: 'user', content: 'Weather?' }],
          tools: [weatherTool],
          stream: true,
        });
        let args = '';
        for await (const chunk of stream)
          args += chunk.choices[0]?.delta.tool_calls?.[0]?.function?.arguments ?? '';
        expect(JSON.parse(args)).toEqual({ city: 'Paris' });

        upstream.handler =
          provider === 'openai' ? openAIFake({ text: 'Sunny.' }) : anthropicFake({ text: 'Sunny.' });
        const second = await client.chat.completions.create({
          model,
          tools: [weatherTool],
          messages: [
            { role: 'user', content: 'Weather in Paris?' },
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
          ],
        });
        expect(second.choices[0]?.message.content).toBe('Sunny.');
        const sent = JSON.stringify(upstream.lastBody);
        expect(sent).toContain('call_1');
        expect(sent).toContain('sunny');
      } finally {
        upstream.handler = provider === 'openai' ? openAIFake() : anthropicFake();
      }
    });
  });

  it('passes each streamed chunk on when it arrives, not with the ones after it', async () => {
    // Five text chunks 150 ms apart upstream: every one must reach the client before the
    // next exists (events are written in bursts, and a burst must never wait for more).
    gateway.openai.handler = openAIFake({ text: 'one two three four five', chunkSize: 4, eventDelayMs: 150 });
    try {
      const stream = await client.chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'Count.' }],
        stream: true,
      });
      const arrivals: number[] = [];
      let text = '';
      for await (const chunk of stream) {
        const delta = chunk.choices[0]?.delta.content;
        if (delta) {
          arrivals.push(Date.now());
          text += delta;
        }
      }
      expect(text).toBe('one two three four five');
      const gaps = arrivals.slice(1).map((at, i) => at - (arrivals[i] as number));
      expect(gaps.length).toBeGreaterThanOrEqual(4);
      // One by one: bursts that waited for more would bring them two or more at a time (a short
      // gap every other chunk at least). A stall of the event loop on a loaded machine (the
      // upstream's next write then falls due at once) may merge two once: one is let through...
      expect(gaps.filter((gap) => gap < 50).length).toBeLessThanOrEqual(1);
      // ...and they come spread over at least half the upstream's pacing, not in one burst.
      expect((arrivals.at(-1) as number) - (arrivals[0] as number)).toBeGreaterThanOrEqual(
        (gaps.length * 150) / 2,
      );
    } finally {
      gateway.openai.handler = openAIFake();
    }
  });

  it('answers when the upstream names its model outside ASCII: the x-aigw-model header made safe', async () => {
    // Node refuses such header values; no answer (chat streamed or not, on either route, or embeddings) may fail for it.
    gateway.openai.handler = openAIFake({ model: 'gpt-4o-mini-中文\nx' });
    const { key } = await gateway.issueKey('alice');
    try {
      for (const [path, stream] of [
        ['/v1/chat/completions', false],
        ['/v1/chat/completions', true],
        ['/v1/messages', false],
        ['/v1/messages', true],
      ] as const) {
        const response = await fetch(`${gateway.url}${path}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          body: JSON.stringify({
            model: 'gpt-4o-mini',
            max_tokens: 50,
            stream,
            messages: [{ role: 'user', content: 'Hi' }],
          }),
        });
        const text = await response.text();
        expect({ path, stream, status: response.status }).toEqual({ path, stream, status: 200 });
        expect(response.headers.get('x-aigw-model')).toBe('gpt-4o-mini-???x');
        expect(text).toContain(stream ? (path === '/v1/messages' ? 'message_stop' : '[DONE]') : 'Hello from');
      }
      const embedded = await fetch(`${gateway.url}/v1/embeddings`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'text-embedding-3-small', input: 'hello' }),
      });
      expect(embedded.status).toBe(200);
      expect(embedded.headers.get('x-aigw-model')).toBe('gpt-4o-mini-???x');
    } finally {
      gateway.openai.handler = openAIFake();
    }
  });

  it('serves embeddings in the spec format, floats and base64', async () => {
    const res = await client.embeddings.create({
      model: 'text-embedding-3-small',
      input: ['hello', 'world!'],
      encoding_format: 'float',
    });
    expect(openAISpecErrors('CreateEmbeddingResponse', res)).toEqual([]);
    expect(res.data.map((d) => d.index)).toEqual([0, 1]);
    // The SDK asks for base64 by default and decodes it.
    const decoded = await client.embeddings.create({ model: 'text-embedding-3-small', input: 'hello' });
    expect(decoded.data[0]?.embedding).toHaveLength(4);
    expect(decoded.data[0]?.embedding[0]).toBeCloseTo(0.05, 5);
  });

  it('lists models in the spec list format, with provider and prices, aliases included', async () => {
    const res = await fetch(`${gateway.url}/v1/models`, {
      headers: { authorization: `Bearer ${client.apiKey}` },
    });
    const body = (await res.json()) as { data: Record<string, any>[] };
    expect(openAISpecErrors('ListModelsResponse', body)).toEqual([]);
    const mini = body.data.find((m) => m.id === 'openai/gpt-4o-mini');
    expect(mini).toMatchObject({
      provider: 'openai',
      owned_by: 'openai',
      pricing: { input_per_mtok: '0.15', output_per_mtok: '0.6' },
    });
    expect(body.data.some((m) => m.provider === 'anthropic')).toBe(true);
    const page = await client.models.list();
    expect(page.data.length).toBe(body.data.length);
  });

  it('never shows an upstream key in any body', async () => {
    gateway.openai.enqueue({
      kind: 'json',
      status: 401,
      body: {
        error: {
          message: `Incorrect API key provided: ${OPENAI_UPSTREAM_KEY}`,
          type: 'invalid_request_error',
          code: 'invalid_api_key',
        },
      },
    });
    const res = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${client.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] }),
    });
    const text = await res.text();
    expect(res.status).toBe(502);
    expect(openAISpecErrors('ErrorResponse', JSON.parse(text))).toEqual([]);
    expect(text).not.toContain(OPENAI_UPSTREAM_KEY);
    expect(text).not.toContain(ANTHROPIC_UPSTREAM_KEY);
    expect(gateway.running.logs.text).not.toContain(OPENAI_UPSTREAM_KEY);
    expect(gateway.running.logs.text).not.toContain(client.apiKey);
    // Streams took their replies over: Nest never tried to send them a second time.
    expect(gateway.running.logs.text).not.toContain('already sent');
  });
});
