import { describe, expect, it } from '@jest/globals';
import { estimateNativePromptTokens } from './estimate-native-tokens.js';
import { estimatePromptTokens } from './estimate-tokens.js';

describe('estimateNativePromptTokens', () => {
  it('counts a plain conversation as estimatePromptTokens counts the same one', () => {
    const body = {
      model: 'x',
      max_tokens: 10,
      system: 'Be brief.',
      messages: [
        { role: 'user', content: 'What is the capital of France?' },
        { role: 'assistant', content: 'Paris.' },
      ],
    };
    const anthropic = estimateNativePromptTokens({ format: 'anthropic-messages', body, headers: {} });
    const ours = estimatePromptTokens([
      { role: 'user', content: 'What is the capital of France?' },
      { role: 'assistant', content: 'Paris.' },
    ]);
    // The system prompt is text outside the messages: its tokens, no message framing.
    expect(anthropic).toBe(ours + estimatePromptTokens([{ role: 'user', content: 'Be brief.' }]) - 3 - 4);
  });

  it('counts an image as 85 tokens and never reads its data as text; ids and signatures are not text', () => {
    const base = { format: 'anthropic-messages' as const, headers: {} };
    const withImage = estimateNativePromptTokens({
      ...base,
      body: {
        messages: [
          {
            role: 'user',
            content: [
              {
                type: 'image',
                source: { type: 'base64', media_type: 'image/png', data: 'A'.repeat(50_000) },
              },
            ],
          },
          {
            role: 'assistant',
            content: [{ type: 'thinking', thinking: '', signature: 'S'.repeat(5_000) }],
          },
        ],
      },
    });
    expect(withImage).toBe(3 + 4 + 85 + 4);
  });

  it('counts tool inputs and tools as their JSON', () => {
    const input = { city: 'Paris' };
    const tool = { name: 'get_weather', input_schema: { type: 'object' } };
    const count = estimateNativePromptTokens({
      format: 'anthropic-messages',
      headers: {},
      body: {
        messages: [{ role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'w', input }] }],
        tools: [tool],
      },
    });
    const none = estimateNativePromptTokens({
      format: 'anthropic-messages',
      headers: {},
      body: { messages: [{ role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'w' }] }] },
    });
    expect(count).toBeGreaterThan(none + 5);
  });
});
