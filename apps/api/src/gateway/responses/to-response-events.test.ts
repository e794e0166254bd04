import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type ChatResult,
  type ChatStreamPart,
  RateLimitError,
  type ReasoningPart,
  type TokenUsage,
  UpstreamError,
} from '@aigw/ai';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import OpenAI from 'openai';
import { openAISpecErrors } from '../../../test/support/openai-spec/openai-spec.js';
import { decodeReasoning } from './reasoning-content.js';
import { type ResponsesRequest, responsesRequestSchema } from './responses.schemas.js';
import { responsesErrorEvent, toResponseEvents } from './to-response-events.js';
import { type ResponseShell, toResponseObject } from './to-response-object.js';

type Json = Record<string, unknown>;

const usage: TokenUsage = {
  inputTokens: { total: 40, noCache: 30, cacheRead: 10, cacheWrite: 0, cacheWrite1h: 0 },
  outputTokens: { total: 12, text: 12, reasoning: undefined },
  source: 'reported',
};

const shellOf = (body: Json = {}): ResponseShell => ({
  id: 'resp_0123456789abcdef0123456789abcdef',
  createdAt: 1_760_000_000,
  model: 'claude-sonnet-4-5',
  body: responsesRequestSchema.parse({
    model: 'claude-sonnet-4-5',
    input: 'Hi',
    ...body,
  }) as ResponsesRequest,
});

const start: ChatStreamPart = { type: 'start', model: 'claude-sonnet-4-5-20250929', provider: 'anthropic' };
const finish = (unified: 'stop' | 'length' | 'tool-calls' | 'error' = 'stop'): ChatStreamPart => ({
  type: 'finish',
  finishReason: { unified, raw: unified },
  usage,
});

const TEXT: ChatStreamPart[] = [
  start,
  { type: 'text-delta', delta: 'Hello' },
  { type: 'text-delta', delta: '' },
  { type: 'raw', data: new Uint8Array([1]) },
  { type: 'text-delta', delta: ' world' },
  finish(),
];
const TEXT_RESULT = { text: 'Hello world' };

const TOOLS: ChatStreamPart[] = [
  start,
  { type: 'tool-call-start', index: 0, id: 'toolu_1', name: 'weather' },
  { type: 'tool-call-delta', index: 0, argumentsDelta: '{"city":' },
  { type: 'tool-call-delta', index: 0, argumentsDelta: '"Paris"}' },
  { type: 'tool-call-start', index: 1, id: 'toolu_2', name: 'now' },
  finish('tool-calls'),
];
const TOOLS_RESULT: Partial<ChatResult> = {
  toolCalls: [
    { id: 'toolu_1', name: 'weather', arguments: '{"city":"Paris"}' },
    { id: 'toolu_2', name: 'now', arguments: '' },
  ],
  finishReason: { unified: 'tool-calls', raw: 'tool-calls' },
};

const THINKING: ReasoningPart[] = [
  { type: 'reasoning', text: 'First thought.', signature: 'sig-1' },
  { type: 'redacted-reasoning', data: 'opaque' },
  { type: 'reasoning', text: 'Second.', signature: 'sig-2' },
];
const REASONING: ChatStreamPart[] = [
  start,
  { type: 'reasoning-delta', delta: 'First' },
  { type: 'reasoning-delta', delta: ' thought.' },
  { type: 'reasoning-signature', signature: 'sig-1' },
  { type: 'redacted-reasoning', data: 'opaque' },
  { type: 'reasoning-delta', delta: 'Second.' },
  { type: 'reasoning-signature', signature: 'sig-2' },
  { type: 'text-delta', delta: 'Answer.' },
  finish(),
];
const REASONING_RESULT = { text: 'Answer.', reasoning: 'First thought.Second.', reasoningParts: THINKING };

async function* streamOf(parts: ChatStreamPart[], error?: Error): AsyncIterable<ChatStreamPart> {
  for (const part of parts) yield part;
  if (error) throw error;
}

interface Run {
  /** The SSE texts, in order. */
  texts: string[];
  events: Json[];
  /** The Responses onFinal got, and how many events had been sent each time. */
  finals: { response: Json; sentBefore: number }[];
}

async function run(
  parts: AsyncIterable<ChatStreamPart>,
  shell = shellOf(),
  onFinal?: (response: Json) => Promise<void>,
): Promise<Run> {
  const texts: string[] = [];
  const finals: Run['finals'] = [];
  for await (const text of toResponseEvents(parts, shell, async (response) => {
    finals.push({ response, sentBefore: texts.length });
    await onFinal?.(response);
  })) {
    texts.push(text);
  }
  return { texts, events: texts.map(parseEvent), finals };
}

/** One SSE event: `event: <type>` and its JSON, whose `type` must be the same. */
function parseEvent(text: string): Json {
  const match = text.match(/^event: ([^\n]+)\ndata: ([^\n]+)\n\n$/);
  if (!match) throw new Error(`not one SSE event: ${JSON.stringify(text)}`);
  const data = JSON.parse(match[2] as string) as Json;
  expect(data.type).toBe(match[1]);
  return data;
}

/**
 * What a strict client checks: every event of the spec, numbered from 0; the created and
 * in_progress Responses first; items opened in output order before their deltas, each
 * event naming its item's id, none closed twice or unopened; the final output the items
 * as they were closed.
 */
function checkStream(events: Json[]): Json {
  events.forEach((event, i) => {
    expect(openAISpecErrors('ResponseStreamEvent', event)).toEqual([]);
    expect(event.sequence_number).toBe(i);
  });
  expect(events.slice(0, 2).map((e) => e.type)).toEqual(['response.created', 'response.in_progress']);
  const created = events[0]?.response as Json | undefined;
  expect(created?.output).toEqual([]);
  expect(created?.status).toBe('in_progress');
  const items: { id: string; done?: Json }[] = [];
  for (const event of events.slice(2, -1)) {
    if (event.type === 'error') continue;
    const item = event.item as Json | undefined;
    if (event.type === 'response.output_item.added') {
      expect(event.output_index).toBe(items.length);
      items.push({ id: item?.id as string });
      continue;
    }
    const open = items[event.output_index as number];
    expect(open).toBeDefined();
    expect(open?.done).toBeUndefined();
    expect(event.item_id ?? item?.id).toBe(open?.id);
    if (event.type === 'response.output_item.done' && open) open.done = item;
  }
  const last = events.at(-1) as Json;
  expect(['response.completed', 'response.incomplete', 'response.failed']).toContain(last.type);
  const final = last.response as Json;
  const output = final.output as Json[];
  expect(output.map((item) => item.id)).toEqual(items.map((item) => item.id));
  items.forEach((item, i) => {
    if (item.done) expect(output[i]).toEqual(item.done);
  });
  return final;
}

/** A Response with its ids and times made comparable. */
function comparable(response: Json): Json {
  const ids = new Map<string, string>();
  const text = JSON.stringify(response).replace(/"((?:msg|fc|rs)_[0-9a-f]{32})"/g, (_, id: string) => {
    if (!ids.has(id)) ids.set(id, `${id.split('_')[0]}_${ids.size}`);
    return `"${ids.get(id)}"`;
  });
  return { ...(JSON.parse(text) as Json), completed_at: 0 };
}

const resultOf = (result: Partial<ChatResult>): ChatResult => ({
  provider: 'anthropic',
  model: 'claude-sonnet-4-5-20250929',
  text: '',
  toolCalls: [],
  finishReason: { unified: 'stop', raw: 'stop' },
  usage,
  warnings: [],
  ...result,
});

describe('toResponseEvents', () => {
  it('streams a text answer as one message item, and ends with the Response toResponseObject builds', async () => {
    const { events, finals, texts } = await run(streamOf(TEXT));
    expect(events.map((e) => e.type)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    const final = checkStream(events);
    const id = ((final.output as Json[])[0] as Json).id;
    expect(events[2]).toEqual({
      type: 'response.output_item.added',
      sequence_number: 2,
      output_index: 0,
      item: { id, type: 'message', role: 'assistant', status: 'in_progress', content: [] },
    });
    expect(events[3]).toEqual({
      type: 'response.content_part.added',
      sequence_number: 3,
      item_id: id,
      output_index: 0,
      content_index: 0,
      part: { type: 'output_text', text: '', annotations: [], logprobs: [] },
    });
    expect(events[4]).toEqual({
      type: 'response.output_text.delta',
      sequence_number: 4,
      item_id: id,
      output_index: 0,
      content_index: 0,
      delta: 'Hello',
      logprobs: [],
    });
    expect(events[6]).toMatchObject({ type: 'response.output_text.done', text: 'Hello world', logprobs: [] });
    expect(final).toMatchObject({ status: 'completed', usage: { input_tokens: 40, total_tokens: 52 } });
    expect(comparable(final)).toEqual(comparable(toResponseObject(resultOf(TEXT_RESULT), shellOf())));
    // Kept before the client sees the end.
    expect(finals).toEqual([{ response: final, sentBefore: texts.length - 1 }]);
  });

  it('streams tool calls as function call items, with no message item', async () => {
    const { events } = await run(streamOf(TOOLS));
    expect(events.map((e) => e.type)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.delta',
      'response.output_item.added',
      'response.function_call_arguments.done',
      'response.output_item.done',
      'response.function_call_arguments.done',
      'response.output_item.done',
      'response.completed',
    ]);
    const final = checkStream(events);
    const [weather, now] = final.output as Json[];
    expect(events[2]).toEqual({
      type: 'response.output_item.added',
      sequence_number: 2,
      output_index: 0,
      item: {
        id: weather?.id,
        type: 'function_call',
        status: 'in_progress',
        call_id: 'toolu_1',
        name: 'weather',
        arguments: '',
      },
    });
    expect(events[6]).toEqual({
      type: 'response.function_call_arguments.done',
      sequence_number: 6,
      item_id: weather?.id,
      output_index: 0,
      name: 'weather',
      arguments: '{"city":"Paris"}',
    });
    expect(now).toEqual({
      id: expect.stringMatching(/^fc_/),
      type: 'function_call',
      status: 'completed',
      call_id: 'toolu_2',
      name: 'now',
      arguments: '{}',
    });
    expect(comparable(final)).toEqual(comparable(toResponseObject(resultOf(TOOLS_RESULT), shellOf())));
  });

  it("keeps interleaved tool calls' arguments apart", async () => {
    const { events } = await run(
      streamOf([
        start,
        { type: 'tool-call-start', index: 0, id: 'a', name: 'f' },
        { type: 'tool-call-start', index: 1, id: 'b', name: 'g' },
        { type: 'tool-call-delta', index: 1, argumentsDelta: '{"y":2}' },
        { type: 'tool-call-delta', index: 0, argumentsDelta: '{"x":1}' },
        { type: 'tool-call-delta', index: 7, argumentsDelta: 'lost' },
        finish('tool-calls'),
      ]),
    );
    const final = checkStream(events);
    expect((final.output as Json[]).map((item) => item.arguments)).toEqual(['{"x":1}', '{"y":2}']);
  });

  it('streams thinking as a reasoning item (a summary part per block) before the text', async () => {
    const { events } = await run(streamOf(REASONING));
    expect(events.map((e) => e.type)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.reasoning_summary_part.added',
      'response.reasoning_summary_text.delta',
      'response.reasoning_summary_text.delta',
      'response.reasoning_summary_text.done',
      'response.reasoning_summary_part.done',
      'response.reasoning_summary_part.added',
      'response.reasoning_summary_text.delta',
      'response.reasoning_summary_text.done',
      'response.reasoning_summary_part.done',
      'response.output_item.done',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    const final = checkStream(events);
    const [reasoning, message] = final.output as Json[];
    const at = { item_id: reasoning?.id, output_index: 0 };
    expect(events[2]).toEqual({
      type: 'response.output_item.added',
      sequence_number: 2,
      output_index: 0,
      item: { id: reasoning?.id, type: 'reasoning', summary: [] },
    });
    expect(events[3]).toEqual({
      type: 'response.reasoning_summary_part.added',
      sequence_number: 3,
      ...at,
      summary_index: 0,
      part: { type: 'summary_text', text: '' },
    });
    expect(events[4]).toEqual({
      type: 'response.reasoning_summary_text.delta',
      sequence_number: 4,
      ...at,
      summary_index: 0,
      delta: 'First',
    });
    expect(events[6]).toMatchObject({ ...at, summary_index: 0, text: 'First thought.' });
    expect(events[7]).toMatchObject({
      ...at,
      summary_index: 0,
      part: { type: 'summary_text', text: 'First thought.' },
    });
    expect(events[8]).toMatchObject({ ...at, summary_index: 1 });
    expect(reasoning).toEqual({
      id: expect.stringMatching(/^rs_/),
      type: 'reasoning',
      summary: [
        { type: 'summary_text', text: 'First thought.' },
        { type: 'summary_text', text: 'Second.' },
      ],
      encrypted_content: expect.stringMatching(/^aigw:/),
    });
    expect(decodeReasoning(reasoning?.encrypted_content)).toEqual(THINKING);
    expect(message).toMatchObject({ type: 'message', content: [{ text: 'Answer.' }] });
    expect(comparable(final)).toEqual(comparable(toResponseObject(resultOf(REASONING_RESULT), shellOf())));
  });

  it('ends a length finish with response.incomplete (max_output_tokens)', async () => {
    const { events } = await run(streamOf([start, { type: 'text-delta', delta: 'Half' }, finish('length')]));
    const final = checkStream(events);
    expect(events.at(-1)?.type).toBe('response.incomplete');
    expect(final).toMatchObject({
      status: 'incomplete',
      incomplete_details: { reason: 'max_output_tokens' },
    });
    expect(comparable(final)).toEqual(
      comparable(
        toResponseObject(
          resultOf({ text: 'Half', finishReason: { unified: 'length', raw: 'length' } }),
          shellOf(),
        ),
      ),
    );
  });

  it('sends a failure as an error event then response.failed, open items incomplete, kept first', async () => {
    const failure = new RateLimitError('Slow down, key sk-proj-abcdefghijklmnopqrstuvwxyz was busy');
    const { events, finals, texts } = await run(
      streamOf([start, { type: 'text-delta', delta: 'Partial' }], failure),
    );
    const final = checkStream(events);
    expect(events.slice(-2).map((e) => e.type)).toEqual(['error', 'response.failed']);
    const message = 'Slow down, key sk-proj-[redacted] was busy';
    expect(events.at(-2)).toEqual({
      type: 'error',
      sequence_number: events.length - 2,
      code: 'rate_limited',
      message,
      param: null,
      error: { type: 'rate_limit_exceeded', code: 'rate_limited', message, param: null },
    });
    expect(final).toMatchObject({
      status: 'failed',
      error: { code: 'rate_limit_exceeded', message },
      output: [
        { type: 'message', status: 'incomplete', content: [{ type: 'output_text', text: 'Partial' }] },
      ],
    });
    expect(final).not.toHaveProperty('usage');
    expect(finals).toEqual([{ response: final, sentBefore: texts.length - 2 }]);
  });

  it('fails a stream that ends before its finish, or finishes with an error', async () => {
    const cut = await run(streamOf([start, { type: 'reasoning-delta', delta: 'Hm' }]));
    expect(checkStream(cut.events)).toMatchObject({
      status: 'failed',
      error: { code: 'server_error', message: 'The stream ended before the model finished.' },
      output: [{ type: 'reasoning', summary: [{ type: 'summary_text', text: 'Hm' }] }],
    });
    expect(cut.events.at(-2)).toMatchObject({ type: 'error', code: 'upstream_error' });

    const errored = await run(streamOf([start, { type: 'text-delta', delta: 'x' }, finish('error')]));
    const final = checkStream(errored.events);
    expect(final).toMatchObject({
      status: 'failed',
      error: { code: 'server_error', message: "The model's answer ended with an error (error)." },
      output: [{ type: 'message', status: 'completed' }],
      usage: { total_tokens: 52 },
    });
    expect(comparable(final)).toEqual(
      comparable(
        toResponseObject(
          resultOf({ text: 'x', finishReason: { unified: 'error', raw: 'error' } }),
          shellOf(),
        ),
      ),
    );
  });

  it('fails the stream when the answer cannot be kept, calling onFinal once', async () => {
    const { events, finals } = await run(streamOf(TEXT), shellOf(), async (response) => {
      if (response.status === 'completed') throw new Error('database down');
    });
    expect(events.slice(-2).map((e) => e.type)).toEqual(['error', 'response.failed']);
    expect(checkStream(events)).toMatchObject({ status: 'failed', error: { code: 'server_error' } });
    expect(finals.map((f) => f.response.status)).toEqual(['completed']);
  });

  it('stops reading the upstream, and keeps nothing, when the reader stops early', async () => {
    let stopped = false;
    async function* upstream(): AsyncIterable<ChatStreamPart> {
      try {
        yield start;
        for (;;) yield { type: 'text-delta', delta: 'x' };
      } finally {
        stopped = true;
      }
    }
    let finals = 0;
    let count = 0;
    for await (const _ of toResponseEvents(upstream(), shellOf(), async () => {
      finals++;
    })) {
      if (++count === 6) break;
    }
    expect(stopped).toBe(true);
    expect(finals).toBe(0);
  });
});

describe('responsesErrorEvent', () => {
  it('is an error event of the spec, for a failure on the native lane', () => {
    const data = parseEvent(responsesErrorEvent(new UpstreamError('Overloaded'), 17));
    expect(openAISpecErrors('ResponseStreamEvent', data)).toEqual([]);
    expect(data).toEqual({
      type: 'error',
      sequence_number: 17,
      code: 'upstream_error',
      message: 'Overloaded',
      param: null,
      error: { type: 'server_error', code: 'upstream_error', message: 'Overloaded', param: null },
    });
    expect(parseEvent(responsesErrorEvent(new Error('boom'))).sequence_number).toBe(0);
  });
});

describe('toResponseEvents with the openai SDK', () => {
  let server: Server;
  let client: OpenAI;
  let body = '';

  beforeAll(async () => {
    server = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        response.end(body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    client = new OpenAI({ apiKey: 'test', baseURL: `http://127.0.0.1:${port}/v1`, maxRetries: 0 });
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  /** What the SDK's ResponseStream accumulates from our events, and the events it passed on. */
  async function throughSdk(parts: ChatStreamPart[], error?: Error) {
    const ours = await run(streamOf(parts, error));
    body = ours.texts.join('');
    const stream = client.responses.stream({ model: 'claude-sonnet-4-5', input: 'Hi' });
    const seen: string[] = [];
    stream.on('event', (event) => seen.push(event.type));
    return { ours, stream, seen };
  }

  /** The SDK's final Response, without the fields its parser adds (all null here). */
  const withoutParsed = (value: unknown): unknown =>
    JSON.parse(
      JSON.stringify(value, (key, v) =>
        ['output_parsed', 'parsed', 'parsed_arguments'].includes(key) && v === null ? undefined : v,
      ),
    );

  for (const [name, parts] of [
    ['a text answer', TEXT],
    ['a tool-call answer', TOOLS],
    ['a reasoning and text answer', REASONING],
  ] as const) {
    it(`accumulates ${name} to our final Response`, async () => {
      const { ours, stream, seen } = await throughSdk(parts);
      const final = await stream.finalResponse();
      expect(withoutParsed(final)).toEqual(ours.events.at(-1)?.response);
      expect(seen).toEqual(ours.events.map((e) => e.type));
    });
  }

  it('throws our error from a failed stream', async () => {
    const { stream } = await throughSdk(
      [start, { type: 'text-delta', delta: 'Partial' }],
      new RateLimitError('Slow down'),
    );
    await expect(stream.finalResponse()).rejects.toMatchObject({
      constructor: OpenAI.APIError,
      message: 'Slow down',
      code: 'rate_limited',
      type: 'rate_limit_exceeded',
    });
  });
});
