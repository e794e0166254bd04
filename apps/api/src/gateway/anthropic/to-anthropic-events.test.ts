import { AbortedError, type ChatStreamPart, type TokenUsage } from '@aigw/ai';
import { describe, expect, it } from '@jest/globals';
import { toAnthropicEvents } from './to-anthropic-events.js';

const usage: TokenUsage = {
  inputTokens: { total: 4225, noCache: 25, cacheRead: 3000, cacheWrite: 1200, cacheWrite1h: 0 },
  outputTokens: { total: 12, text: 12, reasoning: 0 },
  source: 'reported',
};

async function collect(parts: ChatStreamPart[], failWith?: Error) {
  async function* source() {
    yield* parts;
    if (failWith) throw failWith;
  }
  const events: { event: string; data: Record<string, unknown> }[] = [];
  for await (const text of toAnthropicEvents(source(), { id: 'msg_1', model: 'asked-for' })) {
    const match = /^event: (\S+)\ndata: (.*)\n\n$/s.exec(text);
    if (!match) throw new Error(`not one SSE event: ${JSON.stringify(text)}`);
    events.push({ event: match[1] as string, data: JSON.parse(match[2] as string) });
  }
  return events;
}

describe('toAnthropicEvents', () => {
  it('sends text, then each tool call as its own block, closing each before the next', async () => {
    const events = await collect([
      { type: 'start', model: 'gpt-4o-mini-2024-07-18', provider: 'openai' },
      { type: 'reasoning-delta', delta: 'hmm' },
      { type: 'text-delta', delta: 'Let ' },
      { type: 'text-delta', delta: 'me see.' },
      { type: 'tool-call-start', index: 0, id: 'c1', name: 'f' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '{"a":' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '1}' },
      { type: 'tool-call-start', index: 1, id: 'c2', name: 'g' },
      { type: 'tool-call-delta', index: 1, argumentsDelta: '{}' },
      { type: 'finish', finishReason: { unified: 'tool-calls', raw: 'tool_calls' }, usage },
    ]);
    expect(events.map((e) => `${e.event}${e.data.index ?? ''}`)).toEqual([
      'message_start',
      'content_block_start0',
      'content_block_delta0',
      'content_block_delta0',
      'content_block_stop0',
      'content_block_start1',
      'content_block_delta1',
      'content_block_delta1',
      'content_block_stop1',
      'content_block_start2',
      'content_block_delta2',
      'content_block_stop2',
      'message_delta',
      'message_stop',
    ]);
    for (const { event, data } of events) expect(data.type).toBe(event);
    expect(events[0]?.data.message).toMatchObject({ id: 'msg_1', model: 'asked-for', content: [] });
    expect(events[5]?.data.content_block).toEqual({ type: 'tool_use', id: 'c1', name: 'f', input: {} });
    expect(events[6]?.data.delta).toEqual({ type: 'input_json_delta', partial_json: '{"a":' });
    expect(events.at(-2)?.data).toEqual({
      type: 'message_delta',
      delta: { stop_reason: 'tool_use', stop_sequence: null },
      usage: {
        input_tokens: 25,
        cache_read_input_tokens: 3000,
        cache_creation_input_tokens: 1200,
        output_tokens: 12,
      },
    });
  });

  it('sends a late delta of an earlier tool call to that call’s block', async () => {
    const events = await collect([
      { type: 'start', model: 'm' },
      { type: 'tool-call-start', index: 0, id: 'c1', name: 'f' },
      { type: 'tool-call-start', index: 1, id: 'c2', name: 'g' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '{}' },
      { type: 'finish', finishReason: { unified: 'tool-calls', raw: undefined }, usage },
    ]);
    const delta = events.find((e) => e.event === 'content_block_delta');
    expect(delta?.data.index).toBe(0);
  });

  it('ends a failed stream with an error event in Anthropic format', async () => {
    const events = await collect(
      [
        { type: 'start', model: 'm' },
        { type: 'text-delta', delta: 'Hel' },
      ],
      new AbortedError('anthropic: the call was cancelled'),
    );
    expect(events.map((e) => e.event)).toEqual([
      'message_start',
      'content_block_start',
      'content_block_delta',
      'error',
    ]);
    expect(events.at(-1)?.data).toEqual({
      type: 'error',
      error: { type: expect.any(String), message: 'anthropic: the call was cancelled' },
    });
  });

  it('reports a stream that ends without finishing as an api_error', async () => {
    const events = await collect([{ type: 'start', model: 'm' }]);
    expect(events.at(-1)).toEqual({
      event: 'error',
      data: { type: 'error', error: { type: 'api_error', message: expect.stringMatching(/ended before/) } },
    });
  });
});
