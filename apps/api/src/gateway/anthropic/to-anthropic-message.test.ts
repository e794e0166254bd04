import { type ChatResult, unknownUsage } from '@aigw/ai';
import { describe, expect, it } from '@jest/globals';
import { toAnthropicMessage } from './to-anthropic-message.js';

const result = (over: Partial<ChatResult>): ChatResult => ({
  provider: 'openai',
  model: 'gpt-4o-mini-2024-07-18',
  text: '',
  toolCalls: [],
  finishReason: { unified: 'stop', raw: 'stop' },
  usage: unknownUsage(),
  warnings: [],
  ...over,
});

describe('toAnthropicMessage', () => {
  it('answers text and tool calls as blocks, arguments parsed, the requested model named', () => {
    const message = toAnthropicMessage(
      result({
        text: 'Let me look.',
        toolCalls: [
          { id: 'c1', name: 'f', arguments: '{"a":1}' },
          { id: 'c2', name: 'g', arguments: '{"a":' },
          { id: 'c3', name: 'h', arguments: '' },
        ],
        finishReason: { unified: 'tool-calls', raw: 'tool_calls' },
        reasoning: 'hidden',
      }),
      { id: 'msg_1', model: 'gpt-4o-mini' },
    );
    expect(message).toEqual({
      id: 'msg_1',
      type: 'message',
      role: 'assistant',
      model: 'gpt-4o-mini',
      content: [
        { type: 'text', text: 'Let me look.' },
        { type: 'tool_use', id: 'c1', name: 'f', input: { a: 1 } },
        { type: 'tool_use', id: 'c2', name: 'g', input: {} },
        { type: 'tool_use', id: 'c3', name: 'h', input: {} },
      ],
      stop_reason: 'tool_use',
      stop_sequence: null,
      // Unknown: 0 where the format wants an integer, null where it allows it.
      usage: {
        input_tokens: 0,
        cache_creation_input_tokens: null,
        cache_read_input_tokens: null,
        output_tokens: 0,
      },
    });
  });

  it.each([
    ['stop', 'end_turn'],
    ['length', 'max_tokens'],
    ['tool-calls', 'tool_use'],
    ['content-filter', 'refusal'],
    ['other', 'end_turn'],
    ['unknown', 'end_turn'],
  ] as const)('maps finish reason %s to stop_reason %s', (unified, stopReason) => {
    const message = toAnthropicMessage(result({ finishReason: { unified, raw: undefined } }), {
      id: 'msg_1',
      model: 'm',
    });
    expect(message.stop_reason).toBe(stopReason);
    expect(message.content).toEqual([{ type: 'text', text: '' }]);
  });

  it('reports uncached input apart from cache reads and writes', () => {
    const usage = {
      inputTokens: { total: 1000, noCache: undefined, cacheRead: 600, cacheWrite: 100, cacheWrite1h: 0 },
      outputTokens: { total: 50, text: undefined, reasoning: undefined },
      source: 'reported' as const,
    };
    expect(toAnthropicMessage(result({ usage }), { id: 'msg_1', model: 'm' }).usage).toEqual({
      input_tokens: 300,
      cache_read_input_tokens: 600,
      cache_creation_input_tokens: 100,
      output_tokens: 50,
    });
  });
});
