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
});
