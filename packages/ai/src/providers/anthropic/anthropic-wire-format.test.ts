import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { anthropicMessage, anthropicStreamEvents, readSseChunks } from '../../testing/index.js';

// The fake generates what the provider tests run against; these tests hold it to the
// fixtures' wire format, so the two cannot drift apart unnoticed.

const fixture = (name: string) => readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8');

type Event = { name: string; data: Record<string, unknown> };

function parse(events: string[]): Event[] {
  return events.map((text) => {
    const [, name = ''] = /^event: (.+)$/m.exec(text) ?? [];
    const [, data = '{}'] = /^data: (.+)$/m.exec(text) ?? [];
    return { name, data: JSON.parse(data) as Record<string, unknown> };
  });
}

/** The shape of an event: its name, and the sorted keys of each object in its data. */
function shape(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(shape);
  if (value === null || typeof value !== 'object') return typeof value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, shape((value as Record<string, unknown>)[key])]),
  );
}

/** Event names with block and delta types: the sequence a parser walks through. */
const sequence = (events: Event[]) =>
  events.map(({ name, data }) => {
    const detail = (data.content_block ?? data.delta) as { type?: string } | undefined;
    return name === 'content_block_start' || name === 'content_block_delta'
      ? `${name}:${detail?.type}`
      : name;
  });

describe('the Anthropic fake speaks the fixtures’ wire format', () => {
  it('streams text with the same events and fields', () => {
    const recorded = parse(readSseChunks(fixture('stream-text.chunks.txt')));
    const fake = parse(
      anthropicStreamEvents({ text: 'Paris is the capital of France.', chunkSize: 11 }, 'm'),
    );
    expect(sequence(fake)).toEqual(sequence(recorded));
    for (const [i, event] of fake.entries()) {
      expect({ name: event.name, shape: shape(event.data) }).toEqual({
        name: recorded[i]?.name,
        shape: shape(recorded[i]?.data),
      });
    }
  });

  it('streams a tool call with the same events and fields', () => {
    const recorded = parse(readSseChunks(fixture('stream-tool-use.chunks.txt')));
    const fake = parse(
      anthropicStreamEvents(
        {
          text: 'Checking the weather.',
          toolCalls: [{ id: 'toolu_1', name: 'get_weather', input: { location: 'Paris' } }],
          chunkSize: 12,
        },
        'm',
      ),
    );
    expect(sequence(fake)).toEqual(sequence(recorded));
    const toolStart = (events: Event[]) =>
      events.find((e) => e.data.content_block !== undefined && e.data.index === 1);
    expect(shape(toolStart(fake)?.data)).toEqual(shape(toolStart(recorded)?.data));
    const last = (events: Event[], name: string) => events.filter((e) => e.name === name).at(-1)?.data;
    expect(Object.keys(last(fake, 'message_delta') ?? {}).sort()).toEqual(
      Object.keys(last(recorded, 'message_delta') ?? {}).sort(),
    );
  });

  it('answers with a Message of the same fields', () => {
    const recorded = JSON.parse(fixture('message-thinking-tool-use.json')) as Record<string, unknown>;
    const fake = anthropicMessage(
      {
        thinking: 'Hmm.',
        text: 'Let me check the weather.',
        toolCalls: [{ id: 'toolu_1', name: 'get_weather', input: { location: 'Paris', unit: 'celsius' } }],
      },
      'm',
    );
    expect(shape(fake)).toEqual(
      shape({ ...recorded, usage: JSON.parse(fixture('message-text.json')).usage }),
    );
  });
});
