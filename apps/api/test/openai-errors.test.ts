import { openAIError, openAIFake } from '@aigw/ai/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import OpenAI from 'openai';
import { type Gateway, startGateway } from './support/gateway.js';
import { hangUpDuringCall } from './support/hang-up.js';
import { openAISpecErrors } from './support/openai-spec/openai-spec.js';
import { waitForUsageRows } from './support/wait-for-rows.js';

describe('OpenAI-format routes: bad input, auth and upstream failures', () => {
  let gateway: Gateway;
  let key: string;
  let keyId: string;

  beforeAll(async () => {
    gateway = await startGateway({ BODY_LIMIT_BYTES: '4096' });
    ({ key, id: keyId } = await gateway.issueKey('bob'));
  });
  afterAll(() => gateway?.close());

  const post = (path: string, body: string, headers: Record<string, string> = {}) =>
    fetch(`${gateway.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...headers },
      body,
    });

  // A call the gateway translates (an Anthropic model) is checked whole by the Chat Completions
  // schema; an OpenAI model gets the body as it is, and the provider judges it (below).
  const TRANSLATED = 'claude-haiku-4-5';

  async function expectError(res: Response, status: number, message: RegExp) {
    const body = (await res.json()) as { error: { message: string; type: string; code: string | null } };
    expect(res.status).toBe(status);
    expect(openAISpecErrors('ErrorResponse', body)).toEqual([]);
    expect(body.error.message).toMatch(message);
    return body;
  }

  it.each([
    ['malformed JSON', '{"model": "gpt-4o-mini", "messages": [', /JSON/],
    ['a missing model', JSON.stringify({ messages: [{ role: 'user', content: 'x' }] }), /model: /],
    ['messages of the wrong type', JSON.stringify({ model: TRANSLATED, messages: 'hi' }), /messages: /],
    [
      'an empty messages list',
      JSON.stringify({ model: TRANSLATED, messages: [] }),
      /messages: must hold at least one message/,
    ],
    [
      'an unknown role',
      JSON.stringify({ model: TRANSLATED, messages: [{ role: 'robot', content: 'x' }] }),
      /messages\[0\]\.role/,
    ],
    [
      'temperature as a string',
      JSON.stringify({ model: TRANSLATED, messages: [{ role: 'user', content: 'x' }], temperature: 'hot' }),
      /temperature: /,
    ],
    [
      'n = 3 for a model that gives one answer',
      JSON.stringify({ model: TRANSLATED, messages: [{ role: 'user', content: 'x' }], n: 3 }),
      /n = 3 is not supported/,
    ],
    ['a body that is not an object', '[1,2]', /Invalid request/],
  ])('rejects %s with 400 in OpenAI format, saying what to fix', async (_label, body, message) => {
    const res = await post('/v1/chat/completions', body);
    const parsed = await expectError(res, 400, message);
    expect(parsed.error.type).toBe('invalid_request_error');
  });

  it('sends a body it does not check to an OpenAI provider, and answers with its own error body', async () => {
    const upstreamError = {
      error: {
        message: "Invalid type for 'messages': expected an array, but got a string instead.",
        type: 'invalid_request_error',
        param: 'messages',
        code: 'invalid_type',
      },
    };
    gateway.openai.enqueue({ kind: 'json', status: 400, body: upstreamError });
    const res = await post('/v1/chat/completions', JSON.stringify({ model: 'gpt-4o-mini', messages: 'hi' }));
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual(upstreamError);
    expect(gateway.openai.lastBody).toEqual({ model: 'gpt-4o-mini', messages: 'hi' });
  });

  it('rejects an oversized body with 413', async () => {
    const res = await post(
      '/v1/chat/completions',
      JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x'.repeat(10_000) }] }),
    );
    await expectError(res, 413, /too large/);
  });

  it('rejects a wrong content type with 415', async () => {
    const res = await post('/v1/chat/completions', 'model=gpt-4o-mini', { 'content-type': 'text/plain' });
    expect([400, 415]).toContain(res.status);
    expect(((await res.json()) as { error: unknown }).error).toBeDefined();
  });

  it('answers an unknown model with 404 and says how to find valid names', async () => {
    const res = await post(
      '/v1/chat/completions',
      JSON.stringify({ model: 'gpt-17-ultra', messages: [{ role: 'user', content: 'x' }] }),
    );
    await expectError(res, 404, /Unknown model "gpt-17-ultra".*GET \/v1\/models/);
  });

  it.each([
    ['no key', {}],
    ['a wrong key', { authorization: 'Bearer sk-gw-not-a-real-key' }],
    ['the admin key', { authorization: 'Bearer sk-admin-test-0123456789abcdef' }],
  ])('answers %s with 401 in OpenAI format', async (_label, headers) => {
    const res = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] }),
    });
    const body = await expectError(res, 401, /API key/);
    expect(body.error.type).toBe('authentication_error');
  });

  it('shuts a revoked key out at once', async () => {
    const { key: doomed, id } = await gateway.issueKey('carol');
    const client = new OpenAI({ apiKey: doomed, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
    await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'x' }],
    });
    const { ApiKeysService } = await import('../src/keys/api-keys.service.js');
    await gateway.running.app.get(ApiKeysService).revoke(id);
    await expect(
      client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] }),
    ).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
  });

  it('passes an upstream 429 through with its retry-after, before any stream byte', async () => {
    gateway.openai.enqueue(openAIError(429, 'rate_limit_exceeded', 'Slow down', { 'retry-after': '7' }));
    const res = await post(
      '/v1/chat/completions',
      JSON.stringify({ model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: 'x' }] }),
    );
    expect(res.headers.get('retry-after')).toBe('7');
    await expectError(res, 429, /Slow down/);
  });

  it('reports a failure after the first streamed byte in-band, as the SDK expects', async () => {
    const original = gateway.openai.handler;
    gateway.openai.handler = async (req) =>
      ({
        ...(await openAIFake({ text: 'partial answer here', chunkSize: 2, eventDelayMs: 20 })(req)),
        dropAfter: 4,
      }) as never;
    try {
      const client = new OpenAI({ apiKey: key, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
      const stream = await client.chat.completions.create({
        model: 'gpt-4o-mini',
        stream: true,
        messages: [{ role: 'user', content: 'x' }],
      });
      const error = await (async () => {
        for await (const _ of stream) {
          // read until the error
        }
      })().catch((e) => e);
      expect(error).toBeInstanceOf(OpenAI.APIError);
    } finally {
      gateway.openai.handler = original;
    }
  });

  it('records a stream the client walked away from, with the tokens so far estimated', async () => {
    const original = gateway.openai.handler;
    gateway.openai.handler = openAIFake({
      text: 'a fairly long answer that takes a while to stream out',
      chunkSize: 3,
      eventDelayMs: 30,
    });
    try {
      const abort = new AbortController();
      const res = await fetch(`${gateway.url}/v1/chat/completions`, {
        method: 'POST',
        signal: abort.signal,
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          model: 'gpt-4o-mini',
          stream: true,
          messages: [{ role: 'user', content: 'tell me' }],
        }),
      });
      const requestId = res.headers.get('x-request-id') as string;
      const reader = res.body?.getReader();
      await reader?.read();
      await reader?.read();
      abort.abort();
      const [row] = await waitForUsageRows(gateway, { requestId }, { intervalMs: 100 });
      expect(row).toMatchObject({
        userId: 'bob',
        apiKeyId: keyId,
        stream: true,
        isSuccess: false,
        errorCode: 'aborted',
        usageSource: 'estimated',
      });
      expect(row?.promptTokens).toBeGreaterThan(0);
    } finally {
      gateway.openai.handler = original;
    }
  });

  it.each([
    [
      'a non-streaming chat call',
      'nora-hangs-up',
      '/v1/chat/completions',
      { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'take your time' }] },
      { requestType: 'chat', stream: false },
    ],
    [
      'an embeddings call',
      'nora-hangs-up-embedding',
      '/v1/embeddings',
      { model: 'text-embedding-3-small', input: 'take your time' },
      { requestType: 'embedding' },
    ],
  ])('cancels %s when the client goes away; the row says so', async (_what, userId, path, body, kind) => {
    const rows = await hangUpDuringCall(gateway, {
      userId,
      upstream: gateway.openai,
      path,
      headers: (key) => ({ authorization: `Bearer ${key}` }),
      body,
    });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ ...kind, isSuccess: false, errorCode: 'aborted' });
    // Ended by the abort, not by the upstream's answer 3 s later.
    expect(rows[0]?.latencyMs).toBeLessThan(2000);
  });

  it('documents every route in /docs, generated from the validating schemas', async () => {
    type Operation = {
      requestBody?: { content?: Record<string, { schema?: { required?: string[] } }> };
    };
    const doc = (await (await fetch(`${gateway.url}/docs/json`)).json()) as {
      paths: Record<string, Record<string, Operation>>;
    };
    for (const path of ['/v1/chat/completions', '/v1/embeddings', '/v1/models', '/health'])
      expect(doc.paths[path]).toBeDefined();
    const body = doc.paths['/v1/chat/completions']?.post?.requestBody?.content?.['application/json']?.schema;
    expect(body?.required).toEqual(expect.arrayContaining(['model', 'messages']));
    expect((await fetch(`${gateway.url}/docs`)).status).toBe(200);
  });
});
