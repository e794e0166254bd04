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

describe('estimateNativePromptTokens, a Responses API body', () => {
  const responses = (body: Record<string, unknown>) =>
    estimateNativePromptTokens({ format: 'openai-responses', headers: {}, body });
  const tokens = (text: string) => estimatePromptTokens([{ role: 'user', content: text }]) - 3 - 4;

  it('counts instructions and an input string as text', () => {
    expect(
      responses({ model: 'x', instructions: 'Be brief.', input: 'What is the capital of France?' }),
    ).toBe(3 + tokens('Be brief.') + tokens('What is the capital of France?'));
  });

  it('counts input items: message parts, function calls and their outputs, reasoning summaries', () => {
    const input = [
      { role: 'user', content: [{ type: 'input_text', text: 'Weather in Paris?' }] },
      {
        type: 'reasoning',
        id: 'rs_1',
        summary: [{ type: 'summary_text', text: 'The user wants the weather.' }],
        encrypted_content: 'gAAAA'.repeat(2_000),
      },
      {
        type: 'message',
        id: 'msg_1',
        role: 'assistant',
        status: 'completed',
        content: [{ type: 'output_text', text: 'Let me look.', annotations: [] }],
      },
      {
        type: 'function_call',
        id: 'fc_1',
        call_id: 'call_1',
        name: 'get_weather',
        arguments: '{"city":"Paris"}',
        status: 'completed',
      },
      { type: 'function_call_output', call_id: 'call_1', output: '{"temp":21}' },
      { type: 'item_reference', id: 'msg_0' },
    ];
    const expected =
      3 +
      4 +
      tokens('Weather in Paris?') +
      tokens('The user wants the weather.') +
      4 +
      tokens('Let me look.') +
      tokens('get_weather') +
      tokens('{"city":"Paris"}') +
      tokens('{"temp":21}');
    expect(responses({ model: 'x', input })).toBe(expected);
  });

  it('counts an input image as 85 tokens and the tools as their JSON', () => {
    const tool = { type: 'function', name: 'get_weather', parameters: { type: 'object' }, strict: true };
    const image = {
      type: 'input_image',
      image_url: `data:image/png;base64,${'A'.repeat(10_000)}`,
      detail: 'low',
    };
    expect(responses({ model: 'x', input: [{ role: 'user', content: [image] }], tools: [tool] })).toBe(
      3 + 4 + 85 + tokens(JSON.stringify(tool)),
    );
  });
});
