import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import OpenAI from 'openai';
import { specErrors } from './__fixtures__/openai-spec-errors.js';
import { FakeUpstream } from './fake-upstream.js';
import { openAIFake } from './openai-fake.js';
import { type OpenAIResponsesFakeOptions, openAIResponsesFake } from './openai-responses-fake.js';

const TOOL = {
  type: 'function',
  name: 'get_weather',
  description: 'The weather in a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  strict: true,
};
const TOOL_CALL = { id: 'call_w1', name: 'get_weather', arguments: '{"city":"Paris"}' };

/** The `event:` name and parsed `data:` of each SSE event text. */
function parseEvents(events: string[]): { name: string; data: Record<string, unknown> }[] {
  return events.map((text) => {
    const name = /^event: (.+)$/m.exec(text)?.[1] ?? '';
    const data = JSON.parse(/^data: (.+)$/m.exec(text)?.[1] ?? '{}') as Record<string, unknown>;
    return { name, data };
  });
}

/** The fake's reply to one request, without a server. */
function reply(options: OpenAIResponsesFakeOptions, body: Record<string, unknown>, path = '/v1/responses') {
  return openAIResponsesFake(options)({ method: 'POST', path, headers: {}, body });
}

describe('openAIResponsesFake against the OpenAI spec', () => {
  const cases: [string, OpenAIResponsesFakeOptions, Record<string, unknown>][] = [
    ['plain text', {}, { model: 'gpt-5-mini', input: 'Hi' }],
    [
      'reasoning, text and a function call, echoing the request',
      { reasoning: 'The user wants the weather.', text: 'Let me look.', toolCalls: [TOOL_CALL] },
      {
        model: 'gpt-5-mini',
        instructions: 'Be brief.',
        input: [
          { role: 'user', content: [{ type: 'input_text', text: 'Weather in Paris?' }] },
          { type: 'item_reference', id: 'msg_earlier' },
        ],
        tools: [TOOL],
        tool_choice: 'auto',
        reasoning: { effort: 'low', summary: 'auto' },
        max_output_tokens: 500,
        metadata: { app: 'test' },
        previous_response_id: 'resp_previous',
        store: false,
        temperature: 0.5,
        top_p: 0.9,
      },
    ],
    ['cut at max_output_tokens', { incomplete: 'max_output_tokens' }, { model: 'gpt-5-mini', input: 'Hi' }],
  ];

  it.each(cases)('the Response object: %s', (_name, options, body) => {
    const answer = reply(options, body);
    expect(answer.kind).toBe('json');
    const response = (answer as { body: Record<string, unknown> }).body;
    expect(specErrors('Response', response)).toEqual([]);
    expect(response).toMatchObject({ object: 'response', model: 'gpt-5-mini', error: null });
    expect(String(response.id)).toMatch(/^resp_/);
  });

  it.each(cases)('the stream events: %s', (_name, options, body) => {
    const answer = reply(options, { ...body, stream: true });
    expect(answer.kind).toBe('sse');
    const events = parseEvents((answer as { events: string[] }).events);
    for (const { name, data } of events) {
      expect(name).toBe(data.type);
      expect([name, specErrors('ResponseStreamEvent', data)]).toEqual([name, []]);
    }
    expect(events.map((e) => e.data.sequence_number)).toEqual(events.map((_, i) => i));
    expect(events.slice(0, 2).map((e) => e.name)).toEqual(['response.created', 'response.in_progress']);
    expect(events[0]?.data.response).toMatchObject({ status: 'in_progress', output: [] });
    const last = events.at(-1);
    expect(last?.name).toBe(options.incomplete ? 'response.incomplete' : 'response.completed');
    // The final Response holds what the non-streaming answer holds.
    const whole = (reply(options, body) as { body: Record<string, unknown> }).body;
    const final = last?.data.response as Record<string, unknown>;
    expect(specErrors('Response', final)).toEqual([]);
    // (Ids differ from one answer to the next, and so does the reasoning's encrypted content.)
    const comparable = (items: unknown) =>
      (items as Record<string, unknown>[]).map(({ id, encrypted_content, ...item }) => ({
        ...item,
        id: String(id).replace(/_.*/, ''),
        ...(encrypted_content ? { encrypted: true } : {}),
      }));
    expect(comparable(final.output)).toEqual(comparable(whole.output));
  });

  it('streams the full typed sequence for each kind of item', () => {
    const answer = reply(
      { reasoning: 'Think.', text: 'Hello!', toolCalls: [TOOL_CALL], chunkSize: 3 },
      { model: 'gpt-5-mini', input: 'Hi', stream: true },
    );
    const names = parseEvents((answer as { events: string[] }).events).map((e) => e.name);
    expect(names).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.reasoning_summary_part.added',
      'response.reasoning_summary_text.delta',
      'response.reasoning_summary_text.delta',
      'response.reasoning_summary_text.done',
      'response.reasoning_summary_part.done',
      'response.output_item.done',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.output_item.added',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.done',
      'response.output_item.done',
      'response.completed',
    ]);
  });

  it('(the check itself refuses what the spec refuses)', () => {
    const { output: _output, ...noOutput } = (reply({}, { model: 'm', input: 'Hi' }) as { body: object })
      .body as Record<string, unknown>;
    expect(specErrors('Response', noOutput)).not.toEqual([]);
    const delta = {
      type: 'response.output_text.delta',
      item_id: 'msg_1',
      output_index: 0,
      content_index: 0,
      delta: 'x',
    };
    expect(specErrors('ResponseStreamEvent', { ...delta, sequence_number: 1 })).not.toEqual([]);
    expect(specErrors('ResponseStreamEvent', { ...delta, sequence_number: 1, logprobs: [] })).toEqual([]);
  });

  it('counts input tokens, stably, in the spec shape', () => {
    const body = { model: 'gpt-5-mini', input: 'How many tokens is this?' };
    const first = reply({}, body, '/v1/responses/input_tokens') as { body: Record<string, unknown> };
    const again = reply({}, body, '/v1/responses/input_tokens') as { body: Record<string, unknown> };
    expect(specErrors('TokenCountsResource', first.body)).toEqual([]);
    expect(first.body).toEqual(again.body);
    expect(reply({ inputTokens: 77 }, body, '/v1/responses/input_tokens')).toMatchObject({
      body: { object: 'response.input_tokens', input_tokens: 77 },
    });
  });

  it('ends a failed stream with response.failed, and answers a failed call with a 500', () => {
    const events = parseEvents(
      (reply({ status: 'failed' }, { model: 'm', input: 'Hi', stream: true }) as { events: string[] }).events,
    );
    const last = events.at(-1);
    expect(last?.name).toBe('response.failed');
    expect(specErrors('ResponseStreamEvent', last?.data)).toEqual([]);
    expect(reply({ status: 'failed' }, { model: 'm', input: 'Hi' })).toMatchObject({
      kind: 'json',
      status: 500,
    });
  });
});

describe('openAIResponsesFake over HTTP, read by the official SDK', () => {
  const fake = new FakeUpstream(openAIFake({ text: 'Hello from both APIs.' }));
  let client: OpenAI;
  beforeAll(async () => {
    client = new OpenAI({ baseURL: `${await fake.listen()}/v1`, apiKey: 'sk-test', maxRetries: 0 });
  });
  afterAll(() => fake.close());

  it('is served by openAIFake beside Chat Completions, on one server', async () => {
    const chat = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Hi' }],
    });
    expect(chat.choices[0]?.message.content).toBe('Hello from both APIs.');
    const response = await client.responses.create({ model: 'gpt-5-mini', input: 'Hi' });
    expect(response.output_text).toBe('Hello from both APIs.');
    expect(fake.requests.map((r) => r.path)).toEqual(['/v1/chat/completions', '/v1/responses']);
  });

  it('streams events the SDK folds into its final Response', async () => {
    fake.handler = openAIFake({
      responses: { reasoning: 'Weather needs a tool.', toolCalls: [TOOL_CALL], text: 'Checking.' },
    });
    const stream = client.responses.stream({
      model: 'gpt-5-mini',
      input: [{ type: 'item_reference', id: 'msg_earlier' }],
      previous_response_id: 'resp_previous',
      tools: [TOOL as OpenAI.Responses.FunctionTool],
    });
    const deltas: string[] = [];
    stream.on('response.output_text.delta', (event) => deltas.push(event.delta));
    const final = await stream.finalResponse();
    expect(deltas.join('')).toBe('Checking.');
    expect(final.output[1]).toMatchObject({
      type: 'message',
      content: [{ type: 'output_text', text: 'Checking.' }],
    });
    expect(final.previous_response_id).toBe('resp_previous');
    expect(final.output.map((item) => item.type)).toEqual(['reasoning', 'message', 'function_call']);
    expect(final.output[2]).toMatchObject({
      call_id: 'call_w1',
      name: 'get_weather',
      arguments: '{"city":"Paris"}',
    });
    expect(final.usage).toMatchObject({ input_tokens: 36, output_tokens: 87, total_tokens: 123 });
  });

  it('counts input tokens through the SDK', async () => {
    fake.handler = openAIFake({ responses: { inputTokens: 42 } });
    const counted = await client.responses.inputTokens.count({ model: 'gpt-5-mini', input: 'Hi' });
    expect(counted).toEqual({ object: 'response.input_tokens', input_tokens: 42 });
  });
});
