import type { RawMessageStreamEvent } from '@anthropic-ai/sdk/resources/messages';
import { describe, expect, it } from '@jest/globals';
import type { ChatStreamPart } from '../../types/chat-stream-part.js';
import { AnthropicStreamReader } from './anthropic-stream-reader.js';

const read = (events: unknown[]): ChatStreamPart[] => {
  const reader = new AnthropicStreamReader('claude-haiku-4-5');
  return events.flatMap((event) => [...reader.read(event as RawMessageStreamEvent)]);
};

describe('AnthropicStreamReader', () => {
  it('yields a thinking block as reasoning deltas then its signature, and redacted thinking as it is', () => {
    const parts = read([
      {
        type: 'content_block_start',
        index: 0,
        content_block: { type: 'thinking', thinking: '', signature: '' },
      },
      { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'Hmm.' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'signature_delta', signature: 'sig-1' } },
      { type: 'content_block_stop', index: 0 },
      { type: 'content_block_start', index: 1, content_block: { type: 'redacted_thinking', data: 'opaque' } },
      { type: 'content_block_stop', index: 1 },
      // A server that sends a whole block at its start.
      {
        type: 'content_block_start',
        index: 2,
        content_block: { type: 'thinking', thinking: 'All at once.', signature: 'sig-2' },
      },
    ]);
    expect(parts).toEqual([
      { type: 'reasoning-delta', delta: 'Hmm.' },
      { type: 'reasoning-signature', signature: 'sig-1' },
      { type: 'redacted-reasoning', data: 'opaque' },
      { type: 'reasoning-delta', delta: 'All at once.' },
      { type: 'reasoning-signature', signature: 'sig-2' },
    ]);
  });
});
