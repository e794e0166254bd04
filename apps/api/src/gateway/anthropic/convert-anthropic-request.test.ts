import { describe, expect, it } from '@jest/globals';
import { convertAnthropicRequest } from './convert-anthropic-request.js';
import { messagesRequestSchema } from './messages.schemas.js';

const convert = (body: Record<string, unknown>) =>
  convertAnthropicRequest(messagesRequestSchema.parse({ model: 'm', max_tokens: 64, ...body }));

describe('convertAnthropicRequest', () => {
  it('turns system blocks into one system message and keeps plain user text a string', () => {
    const { request, warnings } = convert({
      system: [
        { type: 'text', text: 'Be brief.' },
        { type: 'text', text: 'Be kind.' },
      ],
      messages: [{ role: 'user', content: 'Hi' }],
    });
    expect(request.messages).toEqual([
      { role: 'system', content: 'Be brief.\n\nBe kind.' },
      { role: 'user', content: 'Hi' },
    ]);
    expect(request.maxTokens).toBe(64);
    expect(warnings).toEqual([]);
  });

  it('sends tool results first as tool messages, named after their call, errors flagged, thinking kept', () => {
    const { request } = convert({
      messages: [
        { role: 'user', content: 'Weather in Paris and Rome?' },
        {
          role: 'assistant',
          content: [
            { type: 'thinking', thinking: 'Two calls.', signature: 'sig' },
            { type: 'text', text: 'Checking.' },
            { type: 'tool_use', id: 't1', name: 'get_weather', input: { city: 'Paris' } },
            { type: 'tool_use', id: 't2', name: 'get_weather', input: { city: 'Rome' } },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Here you go.' },
            { type: 'tool_result', tool_use_id: 't1', content: [{ type: 'text', text: 'sunny' }] },
            { type: 'tool_result', tool_use_id: 't2', content: 'timeout', is_error: true },
          ],
        },
      ],
    });
    expect(request.messages.slice(1)).toEqual([
      {
        role: 'assistant',
        content: 'Checking.',
        reasoning: [{ type: 'reasoning', text: 'Two calls.', signature: 'sig' }],
        toolCalls: [
          { id: 't1', name: 'get_weather', arguments: '{"city":"Paris"}' },
          { id: 't2', name: 'get_weather', arguments: '{"city":"Rome"}' },
        ],
      },
      { role: 'tool', toolCallId: 't1', name: 'get_weather', content: 'sunny' },
      { role: 'tool', toolCallId: 't2', name: 'get_weather', content: 'timeout', isError: true },
      { role: 'user', content: 'Here you go.' },
    ]);
  });

  it('maps images, tools, tool choice, stop sequences, sampling and structured output', () => {
    const { request } = convert({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Describe' },
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'AAAA' } },
            { type: 'image', source: { type: 'url', url: 'https://x.test/a.jpg' } },
          ],
        },
      ],
      tools: [{ name: 'f', input_schema: { type: 'object' } }],
      tool_choice: { type: 'tool', name: 'f' },
      stop_sequences: ['END'],
      temperature: 0.5,
      top_p: 0.9,
      output_config: { format: { type: 'json_schema', schema: { type: 'object' } } },
    });
    expect(request).toMatchObject({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Describe' },
            { type: 'image', data: 'AAAA', mediaType: 'image/png' },
            { type: 'image', url: 'https://x.test/a.jpg' },
          ],
        },
      ],
      tools: [{ name: 'f', parameters: { type: 'object' } }],
      toolChoice: { name: 'f' },
      stop: ['END'],
      temperature: 0.5,
      topP: 0.9,
      responseFormat: { type: 'json-schema', name: 'response', schema: { type: 'object' } },
    });
    expect(
      convert({ messages: [{ role: 'user', content: 'x' }], tool_choice: { type: 'any' } }).request
        .toolChoice,
    ).toBe('required');
    expect(
      convert({ messages: [{ role: 'user', content: 'x' }], tool_choice: { type: 'none' } }).request
        .toolChoice,
    ).toBe('none');
  });

  it('keeps system blocks, cache_control on every block and tool, and moves a marker to the turn end', () => {
    const mark = { type: 'ephemeral' };
    const { request, warnings } = convert({
      system: [
        { type: 'text', text: 'Long rules.', cache_control: { type: 'ephemeral', ttl: '1h' } },
        { type: 'text', text: 'Today is Monday.' },
      ],
      tools: [{ name: 'f', input_schema: { type: 'object' }, cache_control: mark }],
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Look:', cache_control: mark },
            { type: 'image', source: { type: 'url', url: 'https://x.test/a.png' }, cache_control: mark },
          ],
        },
        {
          role: 'assistant',
          content: [
            { type: 'text', text: 'Calling.', cache_control: mark },
            { type: 'tool_use', id: 't1', name: 'f', input: {} },
          ],
        },
        {
          role: 'user',
          content: [
            {
              type: 'tool_result',
              tool_use_id: 't1',
              content: [{ type: 'text', text: 'ok', cache_control: mark }],
            },
          ],
        },
        {
          role: 'assistant',
          content: [{ type: 'tool_use', id: 't2', name: 'f', input: {}, cache_control: mark }],
        },
        {
          role: 'user',
          content: [{ type: 'tool_result', tool_use_id: 't2', content: 'ok', cache_control: mark }],
        },
      ],
    });
    const cacheControl = { type: 'ephemeral' };
    expect(request.messages).toEqual([
      {
        role: 'system',
        content: [
          { type: 'text', text: 'Long rules.', cacheControl: { type: 'ephemeral', ttl: '1h' } },
          { type: 'text', text: 'Today is Monday.' },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Look:', cacheControl },
          { type: 'image', url: 'https://x.test/a.png', cacheControl },
        ],
      },
      {
        role: 'assistant',
        content: 'Calling.',
        toolCalls: [{ id: 't1', name: 'f', arguments: '{}' }],
        cacheControl,
      },
      { role: 'tool', toolCallId: 't1', name: 'f', content: 'ok', cacheControl },
      {
        role: 'assistant',
        content: null,
        toolCalls: [{ id: 't2', name: 'f', arguments: '{}' }],
        cacheControl,
      },
      { role: 'tool', toolCallId: 't2', name: 'f', content: 'ok', cacheControl },
    ]);
    expect(request.tools).toEqual([{ name: 'f', parameters: { type: 'object' }, cacheControl }]);
    expect(warnings).toEqual([
      'cache_control inside messages[1] was moved to the end of that assistant turn',
    ]);
  });

  it('keeps signed and redacted thinking of earlier turns, even a turn of thinking alone', () => {
    const { request, warnings } = convert({
      messages: [
        { role: 'user', content: 'x' },
        { role: 'assistant', content: [{ type: 'redacted_thinking', data: 'zzz' }] },
        { role: 'user', content: 'y' },
      ],
    });
    expect(request.messages[1]).toEqual({
      role: 'assistant',
      content: null,
      reasoning: [{ type: 'redacted-reasoning', data: 'zzz' }],
    });
    expect(warnings).toEqual([]);
  });

  it('maps thinking, output_config.effort, top_k, metadata and disable_parallel_tool_use', () => {
    const { request, warnings, endUserId } = convert({
      messages: [{ role: 'user', content: 'x' }],
      tools: [{ name: 'f', input_schema: {} }],
      tool_choice: { type: 'auto', disable_parallel_tool_use: true },
      top_k: 5,
      thinking: { type: 'enabled', budget_tokens: 2048 },
      metadata: { user_id: 'end-user-7' },
    });
    expect(request).toMatchObject({
      toolChoice: 'auto',
      parallelToolCalls: false,
      topK: 5,
      reasoning: { budgetTokens: 2048 },
      metadata: { userId: 'end-user-7' },
    });
    expect(endUserId).toBe('end-user-7');
    expect(warnings).toEqual([]);

    const reasoningOf = (body: Record<string, unknown>) =>
      convert({ messages: [{ role: 'user', content: 'x' }], ...body }).request.reasoning;
    // Adaptive: Claude picks its own budget; the middle effort stands for it.
    expect(reasoningOf({ thinking: { type: 'adaptive' } })).toEqual({ effort: 'medium' });
    expect(reasoningOf({ thinking: { type: 'adaptive' }, output_config: { effort: 'high' } })).toEqual({
      effort: 'high',
    });
    expect(reasoningOf({ output_config: { effort: 'max' } })).toEqual({ effort: 'max' });
    expect(reasoningOf({ thinking: { type: 'disabled' } })).toBeUndefined();
    expect(
      reasoningOf({ thinking: { type: 'enabled', budget_tokens: 4096 }, output_config: { effort: 'low' } }),
    ).toEqual({ budgetTokens: 4096, effort: 'low' });
  });

  it('refuses thinking enabled without budget_tokens, naming the field', () => {
    expect(() =>
      convert({ messages: [{ role: 'user', content: 'x' }], thinking: { type: 'enabled' } }),
    ).toThrow(/thinking\.budget_tokens: is required/);
  });

  it('warns about every setting it accepts but cannot pass on', () => {
    const { warnings, request } = convert({
      messages: [{ role: 'user', content: 'x' }],
      thinking: { type: 'enabled', budget_tokens: 1024, display: 'omitted' },
      output_config: { effort: 'high', task_budget: 5 },
      service_tier: 'auto',
      cache_control: { type: 'ephemeral' },
    });
    expect(warnings).toEqual([
      'output_config fields were ignored: task_budget',
      'thinking.display was ignored: thinking is not shown in this answer',
      'unsupported fields were ignored: service_tier, cache_control',
    ]);
    expect(request.providerOptions).toBeUndefined();
  });

  it('passes the abort signal on', () => {
    const abort = new AbortController();
    const body = messagesRequestSchema.parse({
      model: 'm',
      max_tokens: 1,
      messages: [{ role: 'user', content: 'x' }],
    });
    expect(convertAnthropicRequest(body, abort.signal).request.signal).toBe(abort.signal);
  });
});
