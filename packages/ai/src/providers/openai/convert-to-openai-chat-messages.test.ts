import { describe, expect, it } from '@jest/globals';
import type { ChatMessage } from '../../types/chat-message.js';
import { CACHE_CONTROL_WARNING, convertToOpenAIChatMessages } from './convert-to-openai-chat-messages.js';

const OPENAI = { developerRole: true, cacheControl: false };
const COMPATIBLE = { developerRole: false, cacheControl: false };
const OPENROUTER = { developerRole: false, cacheControl: true };
const mark = { type: 'ephemeral' as const };

describe('convertToOpenAIChatMessages', () => {
  it('keeps the developer role for OpenAI, and sends it as system to compatible servers', () => {
    const messages: ChatMessage[] = [
      { role: 'developer', content: 'Answer in French.' },
      {
        role: 'system',
        content: [
          { type: 'text', text: 'A.' },
          { type: 'text', text: 'B.' },
        ],
      },
    ];
    expect(convertToOpenAIChatMessages(messages, OPENAI)).toEqual({
      messages: [
        { role: 'developer', content: 'Answer in French.' },
        { role: 'system', content: 'A.\n\nB.' },
      ],
      warnings: [],
    });
    expect(convertToOpenAIChatMessages(messages, COMPATIBLE).messages[0]).toEqual({
      role: 'system',
      content: 'Answer in French.',
    });
  });

  it('sends image detail, and tool errors in the text', () => {
    const { messages, warnings } = convertToOpenAIChatMessages(
      [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is it?' },
            { type: 'image', url: 'https://x.test/a.png', detail: 'low' },
            { type: 'image', data: 'AAAA', mediaType: 'image/png', detail: 'high' },
          ],
        },
        { role: 'tool', toolCallId: 't1', content: 'timeout', isError: true },
      ],
      OPENAI,
    );
    expect(messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is it?' },
          { type: 'image_url', image_url: { url: 'https://x.test/a.png', detail: 'low' } },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA', detail: 'high' } },
        ],
      },
      { role: 'tool', tool_call_id: 't1', content: 'Error: timeout' },
    ]);
    expect(warnings).toEqual([]);
  });

  it('leaves out reasoning of earlier turns and cache breakpoints, with one warning each', () => {
    const { messages, warnings } = convertToOpenAIChatMessages(
      [
        { role: 'system', content: [{ type: 'text', text: 'Rules.', cacheControl: mark }] },
        { role: 'user', content: [{ type: 'text', text: 'Hi', cacheControl: mark }] },
        {
          role: 'assistant',
          content: 'Hello.',
          reasoning: [{ type: 'reasoning', text: 'Greet.', signature: 'sig' }],
          cacheControl: mark,
        },
        { role: 'tool', toolCallId: 't1', content: 'ok', cacheControl: mark },
      ],
      OPENAI,
    );
    expect(messages).toEqual([
      { role: 'system', content: 'Rules.' },
      { role: 'user', content: [{ type: 'text', text: 'Hi' }] },
      { role: 'assistant', content: 'Hello.' },
      { role: 'tool', tool_call_id: 't1', content: 'ok' },
    ]);
    expect(warnings).toEqual([
      CACHE_CONTROL_WARNING,
      'reasoning of earlier assistant turns was not sent: Chat Completions has no place for it',
    ]);
  });

  it('forwards cache_control on text parts to OpenRouter, and warns where it cannot sit', () => {
    const { messages, warnings } = convertToOpenAIChatMessages(
      [
        {
          role: 'system',
          content: [
            { type: 'text', text: 'Rules.', cacheControl: { type: 'ephemeral', ttl: '1h' } },
            { type: 'text', text: 'Today.' },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Hi', cacheControl: mark },
            { type: 'image', url: 'https://x.test/a.png', cacheControl: mark },
          ],
        },
        { role: 'assistant', content: 'Hello.', cacheControl: mark },
        {
          role: 'assistant',
          content: null,
          toolCalls: [{ id: 't1', name: 'f', arguments: '{}' }],
          cacheControl: mark,
        },
        { role: 'tool', toolCallId: 't1', content: 'ok', cacheControl: mark },
      ],
      OPENROUTER,
    );
    expect(messages).toEqual([
      {
        role: 'system',
        content: [
          { type: 'text', text: 'Rules.', cache_control: { type: 'ephemeral', ttl: '1h' } },
          { type: 'text', text: 'Today.' },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Hi', cache_control: { type: 'ephemeral' } },
          { type: 'image_url', image_url: { url: 'https://x.test/a.png' } },
        ],
      },
      {
        role: 'assistant',
        content: [{ type: 'text', text: 'Hello.', cache_control: { type: 'ephemeral' } }],
      },
      {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: 't1', type: 'function', function: { name: 'f', arguments: '{}' } }],
      },
      {
        role: 'tool',
        tool_call_id: 't1',
        content: [{ type: 'text', text: 'ok', cache_control: { type: 'ephemeral' } }],
      },
    ]);
    expect(warnings).toEqual([
      'cache_control on an image was not sent: this server takes breakpoints on text parts only',
      'cache_control on a tool call was not sent: this server takes breakpoints on text parts only',
    ]);
  });

  it('leaves out an assistant turn that held reasoning alone (the format wants text or tool calls)', () => {
    const { messages, warnings } = convertToOpenAIChatMessages([
      { role: 'user', content: 'x' },
      { role: 'assistant', content: null, reasoning: [{ type: 'redacted-reasoning', data: 'zzz' }] },
      { role: 'user', content: 'y' },
    ]);
    expect(messages).toEqual([
      { role: 'user', content: 'x' },
      { role: 'user', content: 'y' },
    ]);
    expect(warnings).toEqual([
      'reasoning of earlier assistant turns was not sent: Chat Completions has no place for it',
    ]);
  });
});
