import { describe, expect, it } from '@jest/globals';
import { BadRequestError } from '../../errors/index.js';
import type { ChatMessage } from '../../types/index.js';
import { convertToAnthropicMessages } from './convert-to-anthropic-messages.js';

describe('convertToAnthropicMessages', () => {
  it('joins every system message, in order, into the top-level system prompt', () => {
    const prompt = convertToAnthropicMessages([
      { role: 'system', content: 'You are terse.' },
      { role: 'user', content: 'Hi' },
      { role: 'system', content: 'Answer in French.' },
    ]);
    expect(prompt).toEqual({
      system: 'You are terse.\n\nAnswer in French.',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }],
      warnings: [],
    });
  });

  it('has no system key without system messages', () => {
    expect(convertToAnthropicMessages([{ role: 'user', content: 'Hi' }])).not.toHaveProperty('system');
  });

  it('converts image parts by URL and by base64 data', () => {
    const { messages } = convertToAnthropicMessages([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is in these?' },
          { type: 'image', url: 'https://example.com/cat.png' },
          { type: 'image', data: 'iVBORw0KGgo=', mediaType: 'image/png' },
        ],
      },
    ]);
    expect(messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is in these?' },
          { type: 'image', source: { type: 'url', url: 'https://example.com/cat.png' } },
          { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
        ],
      },
    ]);
  });

  it('rejects an image type Anthropic does not take', () => {
    const messages: ChatMessage[] = [
      { role: 'user', content: [{ type: 'image', data: 'AAAA', mediaType: 'image/tiff' }] },
    ];
    expect(() => convertToAnthropicMessages(messages)).toThrow(BadRequestError);
  });

  it('round-trips tool calls: tool_use blocks, then one user turn of tool_result blocks', () => {
    const { messages } = convertToAnthropicMessages([
      { role: 'user', content: 'Weather in Paris and Rome?' },
      {
        role: 'assistant',
        content: 'Checking both.',
        toolCalls: [
          { id: 'toolu_1', name: 'get_weather', arguments: '{"location":"Paris"}' },
          { id: 'toolu_2', name: 'get_weather', arguments: '{"location":"Rome"}' },
        ],
      },
      { role: 'tool', toolCallId: 'toolu_1', content: '18°C', name: 'get_weather' },
      { role: 'tool', toolCallId: 'toolu_2', content: '24°C' },
      { role: 'user', content: 'Which is warmer?' },
    ]);
    expect(messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Weather in Paris and Rome?' }] },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Checking both.' },
          { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { location: 'Paris' } },
          { type: 'tool_use', id: 'toolu_2', name: 'get_weather', input: { location: 'Rome' } },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'toolu_1', content: '18°C' },
          { type: 'tool_result', tool_use_id: 'toolu_2', content: '24°C' },
          { type: 'text', text: 'Which is warmer?' },
        ],
      },
    ]);
  });

  it('sends an assistant turn of tool calls alone, without an empty text block', () => {
    const { messages } = convertToAnthropicMessages([
      { role: 'assistant', content: null, toolCalls: [{ id: 't', name: 'now', arguments: '' }] },
    ]);
    // Empty arguments (a call without input streams no JSON) stand for {}.
    expect(messages).toEqual([
      { role: 'assistant', content: [{ type: 'tool_use', id: 't', name: 'now', input: {} }] },
    ]);
  });

  it('merges consecutive messages of one role and drops empty assistant turns', () => {
    const { messages } = convertToAnthropicMessages([
      { role: 'user', content: 'one' },
      { role: 'user', content: 'two' },
      { role: 'assistant', content: null },
      { role: 'assistant', content: 'three' },
    ]);
    expect(messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'one' },
          { type: 'text', text: 'two' },
        ],
      },
      { role: 'assistant', content: [{ type: 'text', text: 'three' }] },
    ]);
  });

  it.each([
    ['not JSON', '{"location": '],
    ['not an object', '["Paris"]'],
  ])('throws BadRequestError when tool arguments are %s', (_, args) => {
    const messages: ChatMessage[] = [
      {
        role: 'assistant',
        content: null,
        toolCalls: [{ id: 'toolu_9', name: 'get_weather', arguments: args }],
      },
    ];
    expect(() => convertToAnthropicMessages(messages)).toThrow(BadRequestError);
    expect(() => convertToAnthropicMessages(messages)).toThrow(/toolu_9/);
  });

  it('keeps system blocks with their cache_control, developer messages in the system prompt', () => {
    const prompt = convertToAnthropicMessages([
      {
        role: 'system',
        content: [
          { type: 'text', text: 'Long rules.', cacheControl: { type: 'ephemeral', ttl: '1h' } },
          { type: 'text', text: 'Today is Monday.' },
        ],
      },
      { role: 'developer', content: 'Answer in French.' },
      { role: 'user', content: 'Hi' },
    ]);
    expect(prompt.system).toEqual([
      { type: 'text', text: 'Long rules.', cache_control: { type: 'ephemeral', ttl: '1h' } },
      { type: 'text', text: 'Today is Monday.' },
      { type: 'text', text: 'Answer in French.' },
    ]);
    expect(prompt.warnings).toEqual([]);
    // Without breakpoints the blocks are one string, as before.
    expect(
      convertToAnthropicMessages([
        { role: 'developer', content: [{ type: 'text', text: 'A.' }] },
        { role: 'system', content: 'B.' },
      ]).system,
    ).toBe('A.\n\nB.');
  });

  it('puts cache_control on text, image, tool_use and tool_result blocks, is_error on failed results', () => {
    const mark = { type: 'ephemeral' as const };
    const { messages, warnings } = convertToAnthropicMessages([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Look:', cacheControl: mark },
          { type: 'image', url: 'https://x.test/a.png', cacheControl: mark, detail: 'high' },
        ],
      },
      {
        role: 'assistant',
        content: 'Checking.',
        toolCalls: [{ id: 't1', name: 'f', arguments: '{}' }],
        cacheControl: mark,
      },
      { role: 'tool', toolCallId: 't1', content: 'boom', isError: true, cacheControl: mark },
    ]);
    expect(messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Look:', cache_control: { type: 'ephemeral' } },
          {
            type: 'image',
            source: { type: 'url', url: 'https://x.test/a.png' },
            cache_control: { type: 'ephemeral' },
          },
        ],
      },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Checking.' },
          { type: 'tool_use', id: 't1', name: 'f', input: {}, cache_control: { type: 'ephemeral' } },
        ],
      },
      {
        role: 'user',
        content: [
          {
            type: 'tool_result',
            tool_use_id: 't1',
            content: 'boom',
            is_error: true,
            cache_control: { type: 'ephemeral' },
          },
        ],
      },
    ]);
    expect(warnings).toEqual(['image detail was not sent: Anthropic has no per-image detail setting']);
  });

  it('replays signed and redacted reasoning as thinking blocks first; unsigned reasoning is left out', () => {
    const { messages, warnings } = convertToAnthropicMessages([
      { role: 'user', content: 'Weather?' },
      {
        role: 'assistant',
        content: null,
        reasoning: [
          { type: 'reasoning', text: 'Call the tool.', signature: 'sig-1' },
          { type: 'redacted-reasoning', data: 'opaque' },
          { type: 'reasoning', text: 'From another model.' },
        ],
        toolCalls: [{ id: 't1', name: 'get_weather', arguments: '{"city":"Paris"}' }],
      },
      { role: 'tool', toolCallId: 't1', content: 'sunny' },
    ]);
    expect(messages[1]).toEqual({
      role: 'assistant',
      content: [
        { type: 'thinking', thinking: 'Call the tool.', signature: 'sig-1' },
        { type: 'redacted_thinking', data: 'opaque' },
        { type: 'tool_use', id: 't1', name: 'get_weather', input: { city: 'Paris' } },
      ],
    });
    expect(warnings).toEqual([
      'reasoning without a signature was not sent: Anthropic takes back only thinking it signed',
    ]);
  });
});
