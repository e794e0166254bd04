import { describe, expect, it } from '@jest/globals';
import { openAIResponsesResult } from './openai-responses-result.js';

describe('openAIResponsesResult', () => {
  it('joins the text of every message, reads reasoning summaries and text, skips refusals', () => {
    const result = openAIResponsesResult(
      {
        id: 'resp_1',
        model: 'gpt-5-2026-08-07',
        status: 'completed',
        output: [
          {
            type: 'reasoning',
            summary: [
              { type: 'summary_text', text: 'First.' },
              { type: 'summary_text', text: 'Second.' },
            ],
          },
          { type: 'message', content: [{ type: 'output_text', text: 'Hello ' }, { type: 'refusal' }] },
          { type: 'web_search_call', id: 'ws_1' },
          { type: 'message', content: [{ type: 'output_text', text: 'world.' }] },
        ],
        usage: { input_tokens: 10, output_tokens: 5 },
      },
      'openai',
      'gpt-5',
    );
    expect(result).toMatchObject({
      provider: 'openai',
      model: 'gpt-5-2026-08-07',
      id: 'resp_1',
      text: 'Hello world.',
      toolCalls: [],
      reasoning: 'First.\n\nSecond.',
      finishReason: { unified: 'stop', raw: 'completed' },
      warnings: [],
    });
  });

  it('a background response still queued: no text, usage unknown, the request model', () => {
    const result = openAIResponsesResult(
      { id: 'resp_2', status: 'queued', output: [], usage: null },
      'openai',
      'gpt-5',
    );
    expect(result).toMatchObject({
      model: 'gpt-5',
      text: '',
      finishReason: { unified: 'other', raw: 'queued' },
    });
    expect(result.reasoning).toBeUndefined();
    expect(result.usage.source).toBe('unknown');
  });
});
