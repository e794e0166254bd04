import { anthropicFake, openAIFake } from '@aigw/ai/testing';
import Anthropic from '@anthropic-ai/sdk';
import type { MessageCreateParamsNonStreaming } from '@anthropic-ai/sdk/resources/messages';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import OpenAI from 'openai';
import type { ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import { type Gateway, startGateway } from './support/gateway.js';
import { openAISpecErrors } from './support/openai-spec/openai-spec.js';

/**
 * Golden pairs across formats: a request in one provider's format, to a model of the
 * other, must reach the upstream with everything the target can express, exactly, and
 * name the rest in x-aigw-warnings; what the caller's answer would need and the target
 * cannot give is a 400 naming the field.
 */
describe('translated calls keep their meaning across formats', () => {
  let gateway: Gateway;
  let key: string;
  let anthropic: Anthropic;
  let openai: OpenAI;

  beforeAll(async () => {
    gateway = await startGateway();
    ({ key } = await gateway.issueKey('fidelity'));
    anthropic = new Anthropic({ apiKey: key, baseURL: gateway.url, maxRetries: 0 });
    openai = new OpenAI({ apiKey: key, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
  });
  afterAll(() => gateway?.close());

  const weatherSchema = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] };

  describe('an Anthropic-format request to an OpenAI reasoning model (o4-mini)', () => {
    const request: MessageCreateParamsNonStreaming = {
      model: 'o4-mini',
      max_tokens: 2000,
      system: [
        { type: 'text', text: 'You are a weather bot.', cache_control: { type: 'ephemeral', ttl: '1h' } },
        { type: 'text', text: 'Today is Monday.' },
      ],
      tools: [
        {
          name: 'get_weather',
          description: 'Weather now',
          input_schema: weatherSchema as Anthropic.Messages.Tool.InputSchema,
          cache_control: { type: 'ephemeral' },
        },
      ],
      tool_choice: { type: 'auto', disable_parallel_tool_use: true },
      thinking: { type: 'enabled', budget_tokens: 4096 },
      metadata: { user_id: 'end-user-7' },
      // SDK 1.12 (API 2026-10-21) no longer types sampling settings; older clients send them.
      ...({ top_k: 40 } as object),
      messages: [
        { role: 'user', content: 'Weather in Paris?' },
        {
          role: 'assistant',
          content: [
            { type: 'thinking', thinking: 'I should call get_weather.', signature: 'EqQBCkYIBxgCKkDsigned' },
            { type: 'text', text: 'Checking.' },
            { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } },
          ],
        },
        {
          role: 'user',
          content: [
            {
              type: 'tool_result',
              tool_use_id: 'toolu_1',
              content: '{"sky":"sunny"}',
              cache_control: { type: 'ephemeral' },
            },
          ],
        },
      ],
    };

    /** Exactly what OpenAI receives (without `stream`). */
    const expected = {
      model: 'o4-mini',
      messages: [
        { role: 'system', content: 'You are a weather bot.\n\nToday is Monday.' },
        { role: 'user', content: 'Weather in Paris?' },
        {
          role: 'assistant',
          content: 'Checking.',
          tool_calls: [
            {
              id: 'toolu_1',
              type: 'function',
              function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
            },
          ],
        },
        { role: 'tool', tool_call_id: 'toolu_1', content: '{"sky":"sunny"}' },
      ],
      tools: [
        {
          type: 'function',
          function: { name: 'get_weather', description: 'Weather now', parameters: weatherSchema },
        },
      ],
      tool_choice: 'auto',
      parallel_tool_calls: false,
      max_completion_tokens: 2000,
      user: 'end-user-7',
      // A budget of 4096 tokens: between 2048 and 8192, the middle effort.
      reasoning_effort: 'medium',
    };

    const warnings = [
      'cache_control was not sent: OpenAI caches prompts automatically, with no breakpoints',
      'reasoning of earlier assistant turns was not sent: Chat Completions has no place for it',
      'topK was not sent: OpenAI has no top_k',
    ].join('; ');

    it('sends OpenAI exactly this body, and names what it left out', async () => {
      gateway.openai.handler = openAIFake({ text: 'Sunny in Paris.' });
      const { data, response } = await anthropic.messages.create(request).withResponse();
      expect(data.content).toEqual([{ type: 'text', text: 'Sunny in Paris.' }]);
      expect(response.headers.get('x-aigw-provider')).toBe('openai');
      expect(gateway.openai.lastBody).toEqual({ ...expected, stream: false });
      expect(response.headers.get('x-aigw-warnings')).toBe(warnings);
    });

    it('streams with the same body and the same warnings', async () => {
      const { response } = await anthropic.messages.create({ ...request, stream: true }).withResponse();
      await response.text();
      expect(gateway.openai.lastBody).toEqual({
        ...expected,
        stream: true,
        stream_options: { include_usage: true },
      });
      expect(response.headers.get('x-aigw-warnings')).toBe(warnings);
    });
  });

  describe('an OpenAI-format request to a Claude model (claude-haiku-4-5)', () => {
    const request: ChatCompletionCreateParamsNonStreaming = {
      model: 'claude-haiku-4-5',
      messages: [
        { role: 'developer', content: 'Answer in French.' },
        { role: 'system', content: 'You are a weather bot.' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is the weather like here?' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=', detail: 'high' } },
          ],
        },
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
      tools: [
        {
          type: 'function',
          function: { name: 'get_weather', description: 'Weather now', parameters: weatherSchema },
        },
      ],
      tool_choice: 'auto',
      parallel_tool_calls: false,
      reasoning_effort: 'low',
      user: 'end-user-7',
      max_completion_tokens: 2000,
      seed: 7,
    };

    /** Exactly what Anthropic receives (without `stream`). */
    const expected = {
      model: 'claude-haiku-4-5',
      // Thinking counts inside max_tokens; 2000 leaves room above the 1024-token budget.
      max_tokens: 2000,
      // Anthropic has no developer role: developer and system messages make the system prompt.
      system: 'Answer in French.\n\nYou are a weather bot.',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is the weather like here?' },
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
          ],
        },
        {
          role: 'assistant',
          content: [{ type: 'tool_use', id: 'call_1', name: 'get_weather', input: { city: 'Paris' } }],
        },
        {
          role: 'user',
          content: [{ type: 'tool_result', tool_use_id: 'call_1', content: '{"sky":"sunny"}' }],
        },
      ],
      tools: [{ name: 'get_weather', description: 'Weather now', input_schema: weatherSchema }],
      tool_choice: { type: 'auto', disable_parallel_tool_use: true },
      // reasoning_effort low: the smallest thinking budget.
      thinking: { type: 'enabled', budget_tokens: 1024 },
      metadata: { user_id: 'end-user-7' },
    };

    const warnings = [
      'image detail was not sent: Anthropic has no per-image detail setting',
      'OpenAI settings not supported by Anthropic were not sent: seed',
    ].join('; ');

    it('sends Anthropic exactly this body, and names what it left out', async () => {
      gateway.anthropic.handler = anthropicFake({ thinking: 'Sunny, say so.', text: 'Il fait beau.' });
      const { data, response } = await openai.chat.completions.create(request).withResponse();
      expect(openAISpecErrors('CreateChatCompletionResponse', data)).toEqual([]);
      expect(data.choices.map((c) => c.message.content)).toEqual(['Il fait beau.']);
      expect(response.headers.get('x-aigw-provider')).toBe('anthropic');
      expect(gateway.anthropic.lastBody).toEqual({ ...expected, stream: false });
      expect(response.headers.get('x-aigw-warnings')).toBe(warnings);
    });

    it('streams with the same body and the same warnings', async () => {
      const { response } = await openai.chat.completions.create({ ...request, stream: true }).withResponse();
      await response.text();
      expect(gateway.anthropic.lastBody).toEqual({ ...expected, stream: true });
      expect(response.headers.get('x-aigw-warnings')).toBe(warnings);
    });
  });

  describe('what a Claude model cannot give an OpenAI-format caller', () => {
    const post = (body: Record<string, unknown>) =>
      fetch(`${gateway.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          model: 'claude-haiku-4-5',
          messages: [{ role: 'user', content: 'Hi' }],
          ...body,
        }),
      });

    it.each([
      ['n: 2', { n: 2 }, /n = 2 is not supported/],
      ['logprobs: true', { logprobs: true }, /logprobs is not supported/],
    ])(
      'answers %s with a 400 in OpenAI format naming the field, and calls no upstream',
      async (_label, body, message) => {
        const before = gateway.anthropic.requests.length;
        const res = await post(body);
        const error = (await res.json()) as { error: { message: string; type: string } };
        expect(res.status).toBe(400);
        expect(openAISpecErrors('ErrorResponse', error)).toEqual([]);
        expect(error.error.type).toBe('invalid_request_error');
        expect(error.error.message).toMatch(message);
        expect(gateway.anthropic.requests.length).toBe(before);
      },
    );
  });
});
