import { describe, expect, it } from '@jest/globals';
import type { ChatCompletion } from 'openai/resources/chat/completions';
import { openAIChatResult } from './openai-chat-result.js';

const choice = (
  index: number,
  content: string | null,
  finish: 'stop' | 'tool_calls' | 'length' = 'stop',
) => ({
  index,
  message: { role: 'assistant' as const, content, refusal: null },
  logprobs: null,
  finish_reason: finish,
});

const completion = (choices: ChatCompletion['choices']): ChatCompletion => ({
  id: 'chatcmpl-1',
  object: 'chat.completion',
  created: 1,
  model: 'gpt-4o-mini',
  choices,
});

describe('openAIChatResult', () => {
  it('has no choices list for one answer', () => {
    const result = openAIChatResult(completion([choice(0, 'One.')]), 'openai', 'gpt-4o-mini', []);
    expect(result.text).toBe('One.');
    expect(result).not.toHaveProperty('choices');
  });

  it('keeps every answer of n > 1, in index order, the first also as text', () => {
    const result = openAIChatResult(
      completion([
        choice(1, 'Two.', 'length'),
        {
          ...choice(0, null, 'tool_calls'),
          message: {
            role: 'assistant',
            content: null,
            refusal: null,
            tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } }],
          },
        },
      ]),
      'openai',
      'gpt-4o-mini',
      [],
    );
    expect(result.text).toBe('');
    expect(result.toolCalls).toEqual([{ id: 'c1', name: 'f', arguments: '{}' }]);
    expect(result.choices).toEqual([
      {
        text: '',
        toolCalls: [{ id: 'c1', name: 'f', arguments: '{}' }],
        finishReason: { unified: 'tool-calls', raw: 'tool_calls' },
      },
      { text: 'Two.', toolCalls: [], finishReason: { unified: 'length', raw: 'length' } },
    ]);
  });
});
