import { describe, expect, it } from '@jest/globals';
import { estimatePromptTokens } from './estimate-tokens.js';
import { tokenizer } from './tokenizer.js';

describe('estimatePromptTokens', () => {
  it('counts text parts of system, developer and tool messages, and earlier reasoning, as their strings would', () => {
    const { countTokens } = tokenizer();
    const asParts = estimatePromptTokens([
      { role: 'system', content: [{ type: 'text', text: 'Rules.', cacheControl: { type: 'ephemeral' } }] },
      { role: 'developer', content: [{ type: 'text', text: 'Be brief.' }] },
      {
        role: 'assistant',
        content: 'Checking.',
        reasoning: [{ type: 'reasoning', text: 'Call the tool.', signature: 'sig' }],
      },
    ]);
    const asStrings = estimatePromptTokens([
      { role: 'system', content: 'Rules.' },
      { role: 'developer', content: 'Be brief.' },
      { role: 'assistant', content: 'Checking.' },
    ]);
    expect(asParts).toBe(asStrings + countTokens('Call the tool.'));
  });
});
