import { describe, expect, it } from '@jest/globals';
import type { ChatRequest } from '../../types/index.js';
import {
  buildAnthropicRequest,
  DEFAULT_ANTHROPIC_MAX_TOKENS,
  JSON_INSTRUCTION,
} from './build-anthropic-request.js';

const base: ChatRequest = { model: 'claude-sonnet-5-5', messages: [{ role: 'user', content: 'Hi' }] };

describe('buildAnthropicRequest', () => {
  it('asks for the default max_tokens, which Anthropic requires, and sends nothing unset', () => {
    expect(buildAnthropicRequest(base)).toEqual({
      body: {
        model: 'claude-sonnet-5-5',
        max_tokens: DEFAULT_ANTHROPIC_MAX_TOKENS,
        messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }],
      },
      warnings: [],
    });
  });

  it('sends tools, tool choice, stop sequences and max tokens in Anthropic form', () => {
    const { body } = buildAnthropicRequest({
      ...base,
      maxTokens: 300,
      stop: ['END'],
      tools: [
        {
          name: 'get_weather',
          description: 'Weather for a city',
          parameters: {
            type: 'object',
            properties: { location: { type: 'string' } },
            required: ['location'],
          },
        },
      ],
      toolChoice: 'required',
    });
    expect(body).toMatchObject({
      max_tokens: 300,
      stop_sequences: ['END'],
      tools: [
        {
          name: 'get_weather',
          description: 'Weather for a city',
          input_schema: {
            type: 'object',
            properties: { location: { type: 'string' } },
            required: ['location'],
          },
        },
      ],
      tool_choice: { type: 'any' },
    });
  });

  it.each([
    ['auto', { type: 'auto' }],
    ['none', { type: 'none' }],
    [{ name: 'get_weather' }, { type: 'tool', name: 'get_weather' }],
  ] as const)('maps tool choice %j', (toolChoice, expected) => {
    const tools = [{ name: 'get_weather', parameters: {} }];
    expect(buildAnthropicRequest({ ...base, tools, toolChoice }).body.tool_choice).toEqual(expected);
  });

  it('warns about a tool choice without tools instead of sending it', () => {
    const { body, warnings } = buildAnthropicRequest({ ...base, toolChoice: 'required' });
    expect(body).not.toHaveProperty('tool_choice');
    expect(warnings).toEqual(['toolChoice was ignored: the request has no tools']);
  });

  it('does not send temperature or topP (API 2026-10-21 rejects them) and says so', () => {
    const { body, warnings } = buildAnthropicRequest({ ...base, temperature: 0.2, topP: 0.9 });
    expect(body).not.toHaveProperty('temperature');
    expect(body).not.toHaveProperty('top_p');
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/^temperature/);
    expect(warnings[1]).toMatch(/^topP/);
  });

  it('uses structured outputs for a JSON schema', () => {
    const schema = {
      type: 'object',
      properties: { answer: { type: 'number' } },
      additionalProperties: false,
    };
    const { body, warnings } = buildAnthropicRequest({
      ...base,
      responseFormat: { type: 'json-schema', name: 'answer', schema },
    });
    expect(body.output_config).toEqual({ format: { type: 'json_schema', schema } });
    expect(warnings).toEqual([]);
  });

  it('asks for plain JSON in the system prompt, with a warning', () => {
    const { body, warnings } = buildAnthropicRequest({
      ...base,
      messages: [{ role: 'system', content: 'Be brief.' }, ...base.messages],
      responseFormat: { type: 'json' },
    });
    expect(body.system).toBe(`Be brief.\n\n${JSON_INSTRUCTION}`);
    expect(body).not.toHaveProperty('output_config');
    expect(warnings).toEqual([expect.stringMatching(/^responseFormat json/)]);
  });

  it('passes providerOptions through as they are', () => {
    const { body } = buildAnthropicRequest({
      ...base,
      providerOptions: { thinking: { type: 'adaptive' }, metadata: { user_id: 'u-1' } },
    });
    expect(body).toMatchObject({ thinking: { type: 'adaptive' }, metadata: { user_id: 'u-1' } });
  });
});
