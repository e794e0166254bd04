import { describe, expect, it } from '@jest/globals';
import { BadRequestError } from '../../errors/index.js';
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

  it('merges providerOptions for anthropic, then for the provider by name, last', () => {
    const { body } = buildAnthropicRequest(
      {
        ...base,
        providerOptions: {
          anthropic: { service_tier: 'auto', metadata: { user_id: 'u-1' } },
          work: { service_tier: 'standard_only' },
          other: { ignored: true },
        },
      },
      'work',
    );
    expect(body).toMatchObject({ service_tier: 'standard_only', metadata: { user_id: 'u-1' } });
    expect(body).not.toHaveProperty('ignored');
  });

  it('names the OpenAI options it cannot send in one warning, and refuses those the answer needs', () => {
    const { body, warnings } = buildAnthropicRequest({
      ...base,
      providerOptions: { openai: { seed: 7, logit_bias: { 50256: -100 }, logprobs: false, store: null } },
    });
    expect(body).not.toHaveProperty('seed');
    expect(warnings).toEqual(['OpenAI settings not supported by Anthropic were not sent: seed, logit_bias']);
    for (const openai of [{ logprobs: true }, { top_logprobs: 3 }, { modalities: ['text', 'audio'] }]) {
      const field = Object.keys(openai)[0] as string;
      expect(() => buildAnthropicRequest({ ...base, providerOptions: { openai } })).toThrow(BadRequestError);
      expect(() => buildAnthropicRequest({ ...base, providerOptions: { openai } })).toThrow(
        new RegExp(`${field} is not supported`),
      );
    }
  });

  it('refuses n above 1, naming n', () => {
    expect(() => buildAnthropicRequest({ ...base, n: 2 })).toThrow(BadRequestError);
    expect(() => buildAnthropicRequest({ ...base, n: 2 })).toThrow(/n = 2 is not supported/);
    expect(buildAnthropicRequest({ ...base, n: 1 }).body).not.toHaveProperty('n');
  });

  it('does not send topK (API 2026-10-21 rejects it) and says so', () => {
    const { body, warnings } = buildAnthropicRequest({ ...base, topK: 40 });
    expect(body).not.toHaveProperty('top_k');
    expect(warnings).toEqual([
      'topK is not supported by the Anthropic API (version 2026-10-21) and was not sent',
    ]);
  });

  it('sends metadata.userId as metadata.user_id, and parallelToolCalls false on tool_choice', () => {
    const tools = [{ name: 'f', parameters: {} }];
    const { body } = buildAnthropicRequest({
      ...base,
      tools,
      metadata: { userId: 'end-user-7' },
      parallelToolCalls: false,
    });
    expect(body.metadata).toEqual({ user_id: 'end-user-7' });
    expect(body.tool_choice).toEqual({ type: 'auto', disable_parallel_tool_use: true });
    expect(
      buildAnthropicRequest({ ...base, tools, toolChoice: 'required', parallelToolCalls: false }).body
        .tool_choice,
    ).toEqual({ type: 'any', disable_parallel_tool_use: true });
    expect(
      buildAnthropicRequest({ ...base, tools, toolChoice: 'none', parallelToolCalls: false }).body
        .tool_choice,
    ).toEqual({ type: 'none' });
    expect(buildAnthropicRequest({ ...base, tools, parallelToolCalls: true }).body).not.toHaveProperty(
      'tool_choice',
    );
  });

  it('puts cache_control on tools', () => {
    const { body } = buildAnthropicRequest({
      ...base,
      tools: [{ name: 'f', parameters: {}, cacheControl: { type: 'ephemeral', ttl: '1h' } }],
    });
    expect(body.tools).toEqual([
      { name: 'f', input_schema: { type: 'object' }, cache_control: { type: 'ephemeral', ttl: '1h' } },
    ]);
  });

  it('sends a thinking budget, with the default answer room on top when maxTokens is unset', () => {
    const { body, warnings } = buildAnthropicRequest({ ...base, reasoning: { budgetTokens: 2000 } });
    expect(body.thinking).toEqual({ type: 'enabled', budget_tokens: 2000 });
    expect(body.max_tokens).toBe(2000 + DEFAULT_ANTHROPIC_MAX_TOKENS);
    expect(warnings).toEqual([]);
    // A maxTokens above the budget is kept: thinking counts inside it, as reasoning does at OpenAI.
    expect(
      buildAnthropicRequest({ ...base, maxTokens: 8000, reasoning: { budgetTokens: 2000 } }).body,
    ).toMatchObject({ max_tokens: 8000, thinking: { type: 'enabled', budget_tokens: 2000 } });
  });

  it('raises a maxTokens at or below the budget to budget + maxTokens, and says so', () => {
    const { body, warnings } = buildAnthropicRequest({
      ...base,
      maxTokens: 500,
      reasoning: { effort: 'high' },
    });
    expect(body).toMatchObject({
      max_tokens: 16384 + 500,
      thinking: { type: 'enabled', budget_tokens: 16384 },
    });
    expect(warnings).toEqual([
      'maxTokens was raised from 500 to 16884: Anthropic counts the thinking budget (16384 tokens) inside max_tokens and wants it below',
    ]);
  });

  it.each([
    ['none', undefined],
    ['minimal', undefined],
    ['low', 1024],
    ['medium', 4096],
    ['high', 16384],
    ['xhigh', 24576],
    ['max', 32768],
  ] as const)('turns reasoning effort %s into a thinking budget of %s', (effort, budget) => {
    const { body } = buildAnthropicRequest({ ...base, reasoning: { effort } });
    if (budget === undefined) expect(body).not.toHaveProperty('thinking');
    else expect(body.thinking).toEqual({ type: 'enabled', budget_tokens: budget });
  });

  it('lets a budget win over an effort, and raises a budget below 1024, with warnings', () => {
    expect(
      buildAnthropicRequest({ ...base, reasoning: { effort: 'low', budgetTokens: 3000 } }).warnings,
    ).toEqual(['reasoning effort low was not sent: the thinking budget (3000 tokens) sets it']);
    const small = buildAnthropicRequest({ ...base, reasoning: { budgetTokens: 100 } });
    expect(small.body.thinking).toEqual({ type: 'enabled', budget_tokens: 1024 });
    expect(small.warnings).toEqual([
      "the thinking budget was raised from 100 to 1024 tokens, Anthropic's minimum",
    ]);
  });

  it('adds the JSON instruction as a last block to a system prompt of blocks', () => {
    const { body } = buildAnthropicRequest({
      ...base,
      messages: [
        { role: 'system', content: [{ type: 'text', text: 'Rules.', cacheControl: { type: 'ephemeral' } }] },
        ...base.messages,
      ],
      responseFormat: { type: 'json' },
    });
    expect(body.system).toEqual([
      { type: 'text', text: 'Rules.', cache_control: { type: 'ephemeral' } },
      { type: 'text', text: JSON_INSTRUCTION },
    ]);
  });
});
