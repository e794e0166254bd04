import { describe, expect, it } from '@jest/globals';
import type { ChatStreamPart } from '../types/chat-stream-part.js';
import { StreamedText } from './streamed-text.js';

describe('StreamedText', () => {
  it('keeps every piece of generated output in order, across its joins', () => {
    const generated = new StreamedText();
    const expected: string[] = [];
    for (let i = 0; i < 300; i++) {
      const piece = `w${i} `;
      const part: ChatStreamPart =
        i % 3 === 0
          ? { type: 'text-delta', delta: piece }
          : i % 3 === 1
            ? { type: 'reasoning-delta', delta: piece }
            : { type: 'tool-call-delta', index: 0, argumentsDelta: piece };
      generated.add(part);
      expected.push(piece);
      if (i === 100) expect(generated.text()).toBe(expected.join(''));
    }
    expect(generated.text()).toBe(expected.join(''));
  });

  it('counts a tool call by its name, and tells generated output from the other parts', () => {
    const generated = new StreamedText();
    expect(generated.add({ type: 'start', model: 'gpt-4o-mini' })).toBe(false);
    expect(generated.add({ type: 'tool-call-start', index: 0, id: 'call_1', name: 'get_weather' })).toBe(
      true,
    );
    expect(generated.add({ type: 'tool-call-delta', index: 0, argumentsDelta: '{"city":"Oslo"}' })).toBe(
      true,
    );
    expect(generated.add({ type: 'text-delta', delta: '' })).toBe(true);
    const usage = { inputTokens: {}, outputTokens: {}, source: 'unknown' } as never;
    expect(
      generated.add({ type: 'finish', finishReason: { unified: 'tool-calls', raw: 'tool_calls' }, usage }),
    ).toBe(false);
    expect(generated.text()).toBe('get_weather{"city":"Oslo"}');
  });

  it('is empty until something is generated', () => {
    expect(new StreamedText().text()).toBe('');
  });
});
