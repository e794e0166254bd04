import {
  anthropicError,
  anthropicFake,
  anthropicStreamErrorEvent,
  anthropicStreamEvents,
} from '@aigw/ai/testing';
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DatabaseService } from '../src/database/database.service.js';
import {
  ANTHROPIC_UPSTREAM_KEY,
  type Gateway,
  OPENAI_UPSTREAM_KEY,
  startGateway,
} from './support/gateway.js';
import { hangUpDuringCall } from './support/hang-up.js';
import { waitForUsageRows } from './support/wait-for-rows.js';

const MODEL = 'claude-haiku-4-5';

describe('POST /v1/messages: bad input, upstream failures and cut streams, in Anthropic format', () => {
  let gateway: Gateway;
  let key: string;
  let keyId: string;
  let client: Anthropic;

  beforeAll(async () => {
    gateway = await startGateway();
    ({ key, id: keyId } = await gateway.issueKey('erin'));
    client = new Anthropic({ apiKey: key, baseURL: gateway.url, maxRetries: 0 });
  });
  afterAll(() => gateway?.close());

  const post = (body: unknown) =>
    fetch(`${gateway.url}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': key, 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  async function expectError(res: Response, status: number, type: string, message: RegExp) {
    const text = await res.text();
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const body = JSON.parse(text) as { type: string; error: { type: string; message: string } };
    expect(body).toEqual({ type: 'error', error: { type, message: expect.any(String) } });
    expect(body.error.message).toMatch(message);
    expect(text).not.toContain(OPENAI_UPSTREAM_KEY);
    expect(text).not.toContain(ANTHROPIC_UPSTREAM_KEY);
    return body;
  }

  const rowsOf = async (requestId: string | null) => {
    await gateway.flushUsage();
    return gateway.running.app
      .get(DatabaseService)
      .prisma.aIUsageLog.findMany({ where: { requestId: requestId ?? '' } });
  };

  const valid = { model: MODEL, max_tokens: 10, messages: [{ role: 'user', content: 'Hi' }] };
  // A call the gateway translates (an OpenAI model) is checked whole by the Messages schema;
  // an Anthropic model gets the body as it is, and the provider judges it (below).
  const translated = { ...valid, model: 'gpt-4o-mini' };

  it.each([
    ['malformed JSON', '{"model": "claude-haiku-4-5", "messages": [', /not valid JSON/],
    ['a missing max_tokens', { ...translated, max_tokens: undefined }, /max_tokens: is required/],
    ['a fractional max_tokens', { ...translated, max_tokens: 1.5 }, /max_tokens: must be an integer/],
    ['a zero max_tokens', { ...translated, max_tokens: 0 }, /max_tokens: must be positive/],
    ['a missing model', { ...translated, model: undefined }, /model: is required/],
    ['messages that are not an array', { ...translated, messages: 'Hi' }, /messages: .*expected array/],
    ['an empty messages array', { ...translated, messages: [] }, /messages: must hold at least one message/],
    ['temperature as a string', { ...translated, temperature: 'hot' }, /temperature: .*expected number/],
    [
      'a role that does not exist',
      { ...translated, messages: [{ role: 'system', content: 'x' }] },
      /messages\[0\]\.role: .*'user' \| 'assistant'/,
    ],
    [
      'a text block whose text is a number',
      { ...translated, messages: [{ role: 'user', content: [{ type: 'text', text: 42 }] }] },
      /messages\[0\]\.content\[0\]\.text: .*expected string/,
    ],
    [
      'a block type the gateway does not take',
      { ...translated, messages: [{ role: 'user', content: [{ type: 'document', source: {} }] }] },
      /messages\[0\]\.content\[0\]\.type: .*'text' \| 'image' \| 'tool_result'/,
    ],
    [
      'a tool_use block in a user turn',
      {
        ...translated,
        messages: [{ role: 'user', content: [{ type: 'tool_use', id: 'a', name: 'b', input: {} }] }],
      },
      /messages\[0\]\.content\[0\]\.type/,
    ],
    [
      'a tool without input_schema',
      { ...translated, tools: [{ name: 'get_weather' }] },
      /tools\[0\]\.input_schema: must be a JSON Schema object/,
    ],
    [
      'a server tool',
      { ...translated, tools: [{ type: 'web_search_20250305', name: 'web_search', input_schema: {} }] },
      /tools\[0\]\.type: only custom tools/,
    ],
    [
      'tool_choice of an unknown type',
      { ...translated, tool_choice: { type: 'sometimes' } },
      /tool_choice\.type/,
    ],
  ])('answers %s with 400 invalid_request_error naming the field', async (_label, body, message) => {
    await expectError(await post(body), 400, 'invalid_request_error', message);
  });

  it('sends a body it does not check to an Anthropic provider, and answers with its own error body', async () => {
    const res = await post({ ...valid, max_tokens: undefined, messages: 'Hi' });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      type: 'error',
      error: { type: 'invalid_request_error', message: 'max_tokens: Field required' },
      request_id: 'req_01FakeError',
    });
    expect(gateway.anthropic.lastBody).toEqual({ model: MODEL, messages: 'Hi' });
    const [row] = await rowsOf(res.headers.get('x-request-id'));
    expect(row).toMatchObject({ isSuccess: false, errorCode: 'bad_request', httpStatus: 400 });
  });

  it('answers an unknown model with 404 not_found_error saying how to find models (stream or not)', async () => {
    for (const stream of [false, true]) {
      const res = await post({ ...valid, model: 'no-such-model', stream });
      await expectError(res, 404, 'not_found_error', /Unknown model "no-such-model".*GET \/v1\/models/);
    }
    const error = await client.messages
      .create({ ...valid, model: 'no-such-model', messages: [{ role: 'user', content: 'Hi' }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.NotFoundError);
  });

  it('keeps the status of an upstream failure that comes before the first byte of a stream', async () => {
    gateway.anthropic.enqueue(anthropicError(429, 'rate_limit_error', 'Slow down', { 'retry-after': '7' }));
    const res = await post({ ...valid, stream: true });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('7');
    // The provider's own body, as the native lane answers errors.
    expect(await res.json()).toEqual({
      type: 'error',
      error: { type: 'rate_limit_error', message: 'Slow down' },
      request_id: 'req_01FakeError',
    });

    // Translated for another provider, the same failure in the gateway's Anthropic-format words.
    gateway.openai.enqueue({
      kind: 'json',
      status: 429,
      headers: { 'retry-after': '7' },
      body: { error: { message: 'Slow down', type: 'rate_limit_error', code: null } },
    });
    const translatedRes = await post({ ...translated, stream: true });
    await expectError(translatedRes, 429, 'rate_limit_error', /Slow down/);
    expect(translatedRes.headers.get('retry-after')).toBe('7');
  });

  it('never shows an upstream key: a refused provider key is a 502 naming no key', async () => {
    gateway.openai.enqueue({
      kind: 'json',
      status: 401,
      body: {
        error: {
          message: `Incorrect API key provided: ${OPENAI_UPSTREAM_KEY}`,
          type: 'invalid_request_error',
          code: 'invalid_api_key',
        },
      },
    });
    const res = await post({ ...valid, model: 'gpt-4o-mini' });
    await expectError(res, 502, 'api_error', /refused the gateway's credentials/);
    expect(gateway.running.logs.text).not.toContain(OPENAI_UPSTREAM_KEY);
    expect(gateway.running.logs.text).not.toContain(key);
  });

  it('ends a stream that fails mid-way with an error event the SDK throws, and records the failure', async () => {
    const events = anthropicStreamEvents({}, MODEL);
    const failing = () =>
      gateway.anthropic.enqueue({
        kind: 'sse',
        events: [
          ...events.slice(0, 4),
          anthropicStreamErrorEvent('overloaded_error', `Overloaded (key ${ANTHROPIC_UPSTREAM_KEY})`),
        ],
      });

    failing();
    const res = await post({ ...valid, stream: true });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toMatch(/^event: message_start\n/);
    expect(text).toContain('event: content_block_delta\n');
    const last = text.trim().split('\n\n').at(-1) ?? '';
    expect(last).toMatch(/^event: error\ndata: /);
    // The provider's own error event, passed on as it came, but for the key it echoed.
    expect(JSON.parse(last.replace(/^event: error\ndata: /, ''))).toEqual({
      type: 'error',
      error: { type: 'overloaded_error', message: 'Overloaded (key [redacted])' },
    });
    expect(text).not.toContain(ANTHROPIC_UPSTREAM_KEY);
    const [row] = await rowsOf(res.headers.get('x-request-id'));
    expect(row).toMatchObject({ userId: 'erin', apiKeyId: keyId, stream: true, isSuccess: false });

    failing();
    const stream = client.messages.stream({ ...valid, messages: [{ role: 'user', content: 'Hi' }] });
    const error = await stream.finalMessage().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.APIError);
    expect((error as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({
      type: 'error',
      error: { type: 'overloaded_error' },
    });
  });

  it('cancels a non-streaming call when the client goes away; the row says so', async () => {
    const rows = await hangUpDuringCall(gateway, {
      userId: 'oscar-hangs-up',
      upstream: gateway.anthropic,
      path: '/v1/messages',
      headers: (key) => ({ 'x-api-key': key }),
      body: valid,
    });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ stream: false, isSuccess: false, errorCode: 'aborted' });
    // Ended by the abort, not by the upstream's answer 3 s later.
    expect(rows[0]?.latencyMs).toBeLessThan(2000);
  });

  it('aborts the upstream when the client goes away mid-stream; the row says so, with estimated usage', async () => {
    // A slow upstream: 1.5 s between events, so only an abort can end the call sooner.
    gateway.anthropic.handler = anthropicFake({ eventDelayMs: 1500 });
    try {
      const abort = new AbortController();
      const res = await fetch(`${gateway.url}/v1/messages`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ ...valid, stream: true }),
        signal: abort.signal,
      });
      expect(res.status).toBe(200);
      const requestId = res.headers.get('x-request-id');
      const reader = (res.body as ReadableStream<Uint8Array>).getReader();
      let seen = '';
      while (!seen.includes('event: message_start')) {
        const { value, done } = await reader.read();
        if (done) break;
        seen += new TextDecoder().decode(value);
      }
      abort.abort();
      await reader.cancel().catch(() => {});

      const rows = await waitForUsageRows(gateway, { requestId: requestId ?? '' });
      expect(rows).toHaveLength(1);
      const [row] = rows;
      expect(row).toMatchObject({
        userId: 'erin',
        apiKeyId: keyId,
        stream: true,
        isSuccess: false,
        errorCode: 'aborted',
        usageSource: 'estimated',
      });
      expect(row?.promptTokens).toBeGreaterThan(0);
      // Ended by the abort, not by the upstream's next event 1.5 s later.
      expect(row?.latencyMs).toBeLessThan(1000);
    } finally {
      gateway.anthropic.handler = anthropicFake();
    }
  });
});
