import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { openAIFake } from '@aigw/ai/testing';
import { setDatabaseReachable } from '@aigw/db/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Gateway, startGateway } from './support/gateway.js';
import { TEST_ADMIN_KEY } from './support/start-app.js';

const chatBody = JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] });
const messagesBody = JSON.stringify({
  model: 'claude-haiku-4-5',
  max_tokens: 10,
  messages: [{ role: 'user', content: 'Hi' }],
});

/** A raw HTTP exchange over one socket: what a client that is not fetch sees. */
function rawExchange(port: number, head: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(head));
    let text = '';
    socket.on('data', (d) => {
      text += d.toString();
    });
    socket.on('end', () => resolve(text));
    socket.on('error', reject);
  });
}

describe('faults an operator meets, answered in the route’s own format', () => {
  let gateway: Gateway;

  beforeAll(async () => {
    gateway = await startGateway({ BODY_LIMIT_BYTES: String(1024 * 1024) });
    gateway.openai.handler = openAIFake({
      usage: { prompt_tokens: 5, completion_tokens: 5, total_tokens: 10 },
    });
  });
  afterAll(() => gateway?.close());

  it('a database outage with a cold key cache: 503 with Retry-After, never a 500; a key verified before keeps working', async () => {
    const warm = await gateway.issueKey('warm');
    const cold = await gateway.issueKey('cold');
    const post = (path: string, key: string, body: string, extra: Record<string, string> = {}) =>
      fetch(`${gateway.url}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...extra },
        body,
      });
    expect((await post('/v1/chat/completions', warm.key, chatBody)).status).toBe(200);
    await setDatabaseReachable(gateway.testDb.name, false);
    try {
      const chat = await post('/v1/chat/completions', cold.key, chatBody);
      expect(chat.status).toBe(503);
      expect(chat.headers.get('retry-after')).toBe('5');
      expect(await chat.json()).toEqual({
        error: {
          message: expect.stringMatching(/^The key store \(the database\) is unreachable/),
          type: 'server_error',
          param: null,
          code: 'database_unavailable',
        },
      });
      const messages = await post('/v1/messages', cold.key, messagesBody, {
        'anthropic-version': '2023-06-01',
      });
      expect(messages.status).toBe(503);
      expect(messages.headers.get('retry-after')).toBe('5');
      expect(await messages.json()).toMatchObject({ type: 'error', error: { type: 'api_error' } });
      const admin = await fetch(`${gateway.url}/admin/keys`, {
        headers: { authorization: `Bearer ${TEST_ADMIN_KEY}` },
      });
      expect(admin.status).toBe(503);
      expect(await admin.json()).toMatchObject({ error: { code: 'database_unavailable' } });
      // The warm key is in the cache: its call goes through, its row waits in the writer's spool.
      expect((await post('/v1/chat/completions', warm.key, chatBody)).status).toBe(200);
    } finally {
      await setDatabaseReachable(gateway.testDb.name, true);
    }
    expect(gateway.running.logs.text).not.toContain('internal_error');
  });

  it('an unknown route: 404 in the route’s format', async () => {
    const openai = await fetch(`${gateway.url}/v1/nothing-here`, { method: 'POST' });
    expect(openai.status).toBe(404);
    expect(await openai.json()).toMatchObject({
      error: { type: 'invalid_request_error', code: 'not_found' },
    });
    const anthropic = await fetch(`${gateway.url}/v1/messages/nothing-here`, { method: 'POST' });
    expect(anthropic.status).toBe(404);
    expect(await anthropic.json()).toMatchObject({ type: 'error', error: { type: 'not_found_error' } });
    // Whatever its body: an unknown path is never a 415.
    for (const type of ['application/x-www-form-urlencoded', 'application/octet-stream', 'text/xml']) {
      const res = await fetch(`${gateway.url}/v1/chat/completion`, {
        method: 'POST',
        headers: { 'content-type': type },
        body: 'a=1',
      });
      expect([type, res.status]).toEqual([type, 404]);
      await res.arrayBuffer();
    }
  });

  it('a known path with a method it does not take: 405 with Allow, in the route’s format', async () => {
    const openai = await fetch(`${gateway.url}/v1/chat/completions`);
    expect(openai.status).toBe(405);
    expect(openai.headers.get('allow')).toBe('POST');
    expect(openai.headers.get('x-request-id')).toBeTruthy();
    expect(await openai.json()).toMatchObject({
      error: { type: 'invalid_request_error', code: 'method_not_allowed' },
    });
    const anthropic = await fetch(`${gateway.url}/v1/messages`, { method: 'PUT' });
    expect(anthropic.status).toBe(405);
    expect(await anthropic.json()).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
    const stored = await fetch(`${gateway.url}/v1/responses/resp_123?include=x`, { method: 'PATCH' });
    expect(stored.status).toBe(405);
    expect(stored.headers.get('allow')).toBe('DELETE, GET');
  });

  it('a path parameter too long: 414 in the route’s format, without echoing it', async () => {
    const res = await fetch(`${gateway.url}/v1/responses/resp_${'a'.repeat(5000)}`, {
      headers: { authorization: 'Bearer sk-gw-whatever' },
    });
    expect(res.status).toBe(414);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({
      error: {
        message: 'A path parameter of this URL is too long.',
        type: 'invalid_request_error',
        param: null,
        code: 'uri_too_long',
      },
    });
  });

  it('a request line or headers past what Node parses: 431 as an OpenAI-format error body', async () => {
    const { port } = new URL(gateway.url);
    const reply = await rawExchange(
      Number(port),
      `GET /v1/models?q=${'x'.repeat(40_000)} HTTP/1.1\r\nhost: localhost\r\n\r\n`,
    );
    expect(reply).toMatch(/^HTTP\/1\.1 431 /);
    const body = JSON.parse(reply.slice(reply.indexOf('\r\n\r\n') + 4));
    expect(body).toMatchObject({
      error: { type: 'invalid_request_error', code: 'request_header_too_large' },
    });
  });

  it('a wrong content type: 415 in the route’s format', async () => {
    const { key } = await gateway.issueKey('typist');
    const openai = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/xml' },
      body: '<chat/>',
    });
    expect(openai.status).toBe(415);
    expect(await openai.json()).toMatchObject({ error: { type: 'invalid_request_error' } });
    const anthropic = await fetch(`${gateway.url}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': key, 'content-type': 'application/xml' },
      body: '<chat/>',
    });
    expect(anthropic.status).toBe(415);
    expect(await anthropic.json()).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
  });

  it('a body over the limit: a readable 413 before the connection closes, even for a client still writing', async () => {
    const { port } = new URL(gateway.url);
    const chunk = Buffer.alloc(64 * 1024, 'a');
    const result = await new Promise<{ status?: number; body?: string; error?: string }>((resolve) => {
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port: Number(port),
          method: 'POST',
          path: '/v1/chat/completions',
          headers: { 'content-type': 'application/json', 'content-length': String(20 * 1024 * 1024) },
        },
        (res) => {
          let body = '';
          res.on('data', (d) => {
            body += d.toString();
          });
          res.on('end', () => resolve({ status: res.statusCode, body }));
        },
      );
      req.on('error', (error) => resolve({ error: String(error) }));
      let sent = 0;
      const write = () => {
        while (sent < 20 * 1024 * 1024) {
          sent += chunk.length;
          if (!req.write(chunk)) return void req.once('drain', write);
        }
        req.end();
      };
      write();
    });
    expect(result.error).toBeUndefined();
    expect(result.status).toBe(413);
    expect(JSON.parse(result.body ?? '')).toMatchObject({
      error: { type: 'invalid_request_error', code: 'request_too_large' },
    });
  });
});
