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

  it('sends tool results first as tool messages, named after their call, errors marked', () => {
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
        toolCalls: [
          { id: 't1', name: 'get_weather', arguments: '{"city":"Paris"}' },
          { id: 't2', name: 'get_weather', arguments: '{"city":"Rome"}' },
        ],
      },
      { role: 'tool', toolCallId: 't1', name: 'get_weather', content: 'sunny' },
      { role: 'tool', toolCallId: 't2', name: 'get_weather', content: 'Error: timeout' },
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

  it('warns about every setting it accepts but cannot pass on', () => {
    const { warnings, endUserId, request } = convert({
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'x', cache_control: { type: 'ephemeral' } }] },
        { role: 'assistant', content: [{ type: 'redacted_thinking', data: 'zzz' }] },
        { role: 'user', content: 'y' },
      ],
      tools: [{ name: 'f', input_schema: {} }],
      tool_choice: { type: 'auto', disable_parallel_tool_use: true },
      top_k: 5,
      thinking: { type: 'enabled', budget_tokens: 1024 },
      output_config: { effort: 'high' },
      metadata: { user_id: 'end-user-7' },
      service_tier: 'auto',
    });
    expect(warnings).toEqual([
      'thinking blocks of earlier turns were not passed on',
      'tool_choice.disable_parallel_tool_use was ignored',
      'top_k was ignored: not every provider supports it',
      'thinking was ignored: extended thinking is not passed on by the gateway',
      'output_config fields were ignored: effort',
      'cache_control was ignored: prompt caching breakpoints are not passed on',
      'unsupported fields were ignored: service_tier',
    ]);
    expect(endUserId).toBe('end-user-7');
    // The assistant turn held only thinking: nothing of it is left to send.
    expect(request.messages.map((m) => m.role)).toEqual(['user', 'user']);
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
