import { createOpenAI } from '@ai-sdk/openai';
import { anthropicFake, type FakeHandler, openAIFake } from '@aigw/ai/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { generateObject, generateText, stepCountIs, streamText, tool } from 'ai';
import OpenAI from 'openai';
import { z } from 'zod';
import { DatabaseService } from '../src/database/database.service.js';
import { type Gateway, startGateway } from './support/gateway.js';
import { openAISpecErrors } from './support/openai-spec/openai-spec.js';

/** Each case: a model, the provider behind it, and whether the gateway speaks to it natively. */
const CASES = [
  ['an OpenAI model (native)', 'gpt-4o-mini', 'openai'],
  ['a Claude model (translated)', 'claude-haiku-4-5', 'anthropic'],
] as const;

/** The upstream fake that calls `get_weather` first, and answers once it has the result. */
function toolLoop(provider: 'openai' | 'anthropic'): FakeHandler {
  return (request) => {
    const sent = JSON.stringify(request.body);
    const answered = sent.includes('function_call_output') || sent.includes('tool_result');
    if (provider === 'openai') {
      return openAIFake(
        answered
          ? { text: 'Sunny in Paris.' }
          : { toolCalls: [{ id: 'call_w1', name: 'get_weather', arguments: '{"city":"Paris"}' }] },
      )(request);
    }
    return anthropicFake(
      answered
        ? { text: 'Sunny in Paris.' }
        : { toolCalls: [{ id: 'toolu_w1', name: 'get_weather', input: { city: 'Paris' } }] },
    )(request);
  };
}

describe('POST /v1/responses with unchanged clients (the openai SDK, the Vercel AI SDK)', () => {
  let gateway: Gateway;
  let key: string;
  let client: OpenAI;

  beforeAll(async () => {
    gateway = await startGateway();
    ({ key } = await gateway.issueKey('rita'));
    client = new OpenAI({ apiKey: key, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
  });
  afterAll(() => gateway?.close());

  const rowsOf = async (requestId: string | null) => {
    await gateway.flushUsage();
    return gateway.running.app
      .get(DatabaseService)
      .prisma.aIUsageLog.findMany({ where: { requestId: requestId ?? '' } });
  };
  const restore = () => {
    gateway.openai.handler = openAIFake();
    gateway.anthropic.handler = anthropicFake();
  };

  describe.each(CASES)('to %s', (_label, model, provider) => {
    const upstream = () => (provider === 'openai' ? gateway.openai : gateway.anthropic);

    it('creates a response the SDK reads, conforming to the spec, logged once as responses, kept for retrieve and delete', async () => {
      const { data, response } = await client.responses
        .create({ model, instructions: 'Be brief.', input: 'Hi', max_output_tokens: 100 })
        .withResponse();
      expect(openAISpecErrors('Response', data)).toEqual([]);
      expect(data).toMatchObject({ object: 'response', status: 'completed' });
      expect(data.output_text).toBe('Hello from the fake upstream.');
      expect(data.usage?.input_tokens).toBeGreaterThan(0);
      expect(response.headers.get('x-aigw-provider')).toBe(provider);

      const rows = await rowsOf(response.headers.get('x-request-id'));
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        requestType: 'responses',
        provider,
        requestedModel: model,
        isSuccess: true,
        usageSource: 'reported',
      });
      expect(rows[0]?.costUsd).not.toBeNull();

      const retrieved = await client.responses.retrieve(data.id);
      expect(retrieved).toEqual(data);
      await client.responses.delete(data.id);
      await expect(client.responses.retrieve(data.id)).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    });

    it('streams the full typed event sequence (each event per the spec); the SDK builds the final response', async () => {
      const stream = client.responses.stream({ model, input: 'Hi' });
      const events: { type: string; sequence_number: number }[] = [];
      stream.on('event', (event) => events.push(event as never));
      const final = await stream.finalResponse();
      expect(events[0]?.type).toBe('response.created');
      expect(events.at(-1)?.type).toBe('response.completed');
      for (const event of events) expect(openAISpecErrors('ResponseStreamEvent', event)).toEqual([]);
      const types = new Set(events.map((e) => e.type));
      for (const type of [
        'response.in_progress',
        'response.output_item.added',
        'response.content_part.added',
        'response.output_text.delta',
        'response.output_text.done',
        'response.output_item.done',
      ]) {
        expect(types).toContain(type);
      }
      const text = final.output.flatMap((item) =>
        item.type === 'message' ? item.content.map((c) => (c.type === 'output_text' ? c.text : '')) : [],
      );
      expect(text.join('')).toBe('Hello from the fake upstream.');
      expect(final.usage?.output_tokens).toBeGreaterThan(0);
      // Kept as it ended, for GET.
      expect((await client.responses.retrieve(final.id)).status).toBe('completed');
    });

    it('continues a conversation through previous_response_id', async () => {
      const first = await client.responses.create({ model, input: 'My name is Ada.' });
      const second = await client.responses.create({
        model,
        input: 'What is my name?',
        previous_response_id: first.id,
      });
      expect(second.previous_response_id).toBe(first.id);
      const sent = upstream().lastBody;
      if (provider === 'openai') {
        // OpenAI keeps the response it made: the request goes on as it was sent.
        expect(sent).toMatchObject({ previous_response_id: first.id, input: 'What is my name?' });
      } else {
        // The gateway keeps it for Claude: the history is written out.
        const text = (t: string) => [{ type: 'text', text: t }];
        expect(sent.messages).toEqual([
          { role: 'user', content: text('My name is Ada.') },
          { role: 'assistant', content: text('Hello from the fake upstream.') },
          { role: 'user', content: text('What is my name?') },
        ]);
      }
    });

    describe('the Vercel AI SDK default openai(model) provider', () => {
      const vercel = () => createOpenAI({ baseURL: `${gateway.url}/v1`, apiKey: key });

      it('generateText and streamText', async () => {
        const generated = await generateText({ model: vercel()(model), system: 'Be brief.', prompt: 'Hi' });
        expect(generated.text).toBe('Hello from the fake upstream.');
        expect(generated.usage.inputTokens).toBeGreaterThan(0);
        const streamed = streamText({ model: vercel()(model), prompt: 'Hi' });
        expect(await streamed.text).toBe('Hello from the fake upstream.');
        expect((await streamed.usage).outputTokens).toBeGreaterThan(0);
      });

      it('runs a tool loop', async () => {
        upstream().handler = toolLoop(provider);
        try {
          const calls: string[] = [];
          const result = await generateText({
            model: vercel()(model),
            prompt: 'Weather in Paris?',
            tools: {
              get_weather: tool({
                description: 'Weather now',
                inputSchema: z.object({ city: z.string() }),
                execute: async ({ city }) => {
                  calls.push(city);
                  return { city, sky: 'sunny' };
                },
              }),
            },
            stopWhen: stepCountIs(3),
          });
          expect(calls).toEqual(['Paris']);
          expect(result.text).toBe('Sunny in Paris.');
          expect(result.steps).toHaveLength(2);
        } finally {
          restore();
        }
      });

      it('generateObject', async () => {
        upstream().handler =
          provider === 'openai'
            ? openAIFake({ text: '{"name":"Ada","age":36}' })
            : anthropicFake({ text: '{"name":"Ada","age":36}' });
        try {
          const { object } = await generateObject({
            model: vercel()(model),
            schema: z.object({ name: z.string(), age: z.number() }),
            prompt: 'Who?',
          });
          expect(object).toEqual({ name: 'Ada', age: 36 });
          const sent = upstream().lastBody;
          if (provider === 'openai') expect(sent.text.format).toMatchObject({ type: 'json_schema' });
          else expect(sent.output_config.format).toMatchObject({ type: 'json_schema' });
        } finally {
          restore();
        }
      });
    });
  });

  it('sends the body to an OpenAI provider as it was sent but for model', async () => {
    const body = {
      model: 'openai/gpt-4o-mini',
      input: [{ role: 'user', content: [{ type: 'input_text', text: 'Hi' }] }],
      reasoning: { effort: 'low', summary: 'auto' },
      include: ['reasoning.encrypted_content'],
      prompt_cache_key: 'k1',
      a_field_from_the_future: { x: 1 },
    };
    const res = await fetch(`${gateway.url}/v1/responses`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(200);
    expect(JSON.stringify(gateway.openai.lastBody)).toBe(JSON.stringify({ ...body, model: 'gpt-4o-mini' }));
    expect(gateway.openai.lastRequest?.path).toBe('/v1/responses');
  });
});
