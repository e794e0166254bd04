import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createKeepAliveAgent } from './keep-alive-agent.js';
import { createUndiciFetch, type Fetch } from './undici-fetch.js';

// Below the SDKs: the Response (and rejections) our fetch gives, next to the global fetch's.

const agent = createKeepAliveAgent();
const undiciFetch = createUndiciFetch({ dispatcher: agent });
const TRANSPORTS: [string, Fetch][] = [
  ['global fetch', globalThis.fetch],
  ['undici fetch', undiciFetch],
];

const JSON_BODY = JSON.stringify({ hello: 'wörld', n: [1, 2, 3] });
/** Called when the connection of a `/hold` reply closes. */
let holdClosed: () => void = () => {};

/** Routes for raw replies FakeUpstream cannot give (encodings, redirects, cut bodies). */
async function route(req: IncomingMessage, res: ServerResponse, base: () => string): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const url = new URL(req.url ?? '/', 'http://x');
  const send = (status: number, headers: Record<string, string | string[]>, body?: string | Buffer) => {
    res.writeHead(status, headers);
    res.end(body);
  };
  switch (url.pathname) {
    case '/json':
      return send(200, { 'content-type': 'application/json', 'x-request-id': 'req_1' }, JSON_BODY);
    case '/no-content':
      return send(204, {});
    case '/bom':
      return send(200, { 'content-type': 'text/plain; charset=utf-8' }, `\ufeff${JSON_BODY}`);
    case '/gzip':
      return send(
        200,
        { 'content-type': 'application/json', 'content-encoding': 'gzip' },
        gzipSync(JSON_BODY),
      );
    case '/deflate':
      return send(
        200,
        { 'content-type': 'application/json', 'content-encoding': 'deflate' },
        deflateSync(JSON_BODY),
      );
    case '/br':
      return send(
        200,
        { 'content-type': 'application/json', 'content-encoding': 'br' },
        brotliCompressSync(JSON_BODY),
      );
    case '/repeated-headers':
      return send(
        200,
        { 'set-cookie': ['a=1', 'b=2'], 'x-multi': ['1', '2'], 'content-type': 'text/plain' },
        'ok',
      );
    case '/echo':
      return send(
        200,
        { 'content-type': 'application/json' },
        JSON.stringify({
          method: req.method,
          authorization: req.headers.authorization ?? null,
          contentType: req.headers['content-type'] ?? null,
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
    case '/redirect': {
      const to = url.searchParams.get('to') ?? `${base()}/echo`;
      return send(Number(url.searchParams.get('status')), { location: to }, 'moved');
    }
    case '/loop':
      return send(302, { location: '/loop' });
    case '/hold':
      res.on('close', () => holdClosed());
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('partial ');
      return;
    case '/cut':
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '100' });
      res.write('partial ');
      setTimeout(() => res.socket?.destroy(), 20);
      return;
    default:
      return send(404, { 'content-type': 'text/plain' }, 'not found');
  }
}

let server: ReturnType<typeof createServer>;
let base = '';
beforeAll(async () => {
  server = createServer((req, res) => void route(req, res, () => base));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  server.close();
  await agent.close();
});

/** A response as plain data: everything the SDKs read from it. */
async function described(response: Response) {
  const headers: [string, string][] = [];
  response.headers.forEach((value, name) => {
    if (name !== 'date' && name !== 'keep-alive') headers.push([name, value]);
  });
  const hasBody = response.body !== null;
  return {
    status: response.status,
    statusText: response.statusText,
    ok: response.ok,
    url: response.url.replace(base, 'BASE'),
    redirected: response.redirected,
    headers,
    hasBody,
    text: await response.text(),
    bodyUsedAfter: response.bodyUsed,
  };
}

/** A rejection as plain data (by name: the global fetch's errors come from outside jest's realm). */
function rejection(error: unknown) {
  const e = error as Error & { cause?: Error & { code?: string } };
  return { rejected: true, name: e.name, message: e.message, cause: e.cause?.name ?? null };
}

async function both<T>(work: (fetch: Fetch) => Promise<T>): Promise<[T, T]> {
  const results: T[] = [];
  for (const [, fetch] of TRANSPORTS) results.push(await work(fetch));
  return results as [T, T];
}

describe('undici fetch: the Response, as the global fetch gives it', () => {
  it.each([
    ['a JSON answer', '/json', 'GET'],
    ['204 No Content (no body)', '/no-content', 'GET'],
    ['HEAD (no body)', '/json', 'HEAD'],
    ['a 404 text answer', '/missing', 'GET'],
    ['a text answer starting with a BOM', '/bom', 'GET'],
    ['gzip content-encoding', '/gzip', 'GET'],
    ['deflate content-encoding', '/deflate', 'GET'],
    ['br content-encoding', '/br', 'GET'],
    ['repeated headers (set-cookie, others joined)', '/repeated-headers', 'GET'],
    ['a URL with a fragment', '/json#part', 'GET'],
  ])('%s', async (_name, path, method) => {
    const [viaGlobal, viaUndici] = await both(async (fetch) =>
      described(await fetch(`${base}${path}`, { method })),
    );
    expect(viaUndici).toEqual(viaGlobal);
  });

  it('reads a body as json, arrayBuffer, bytes and blob', async () => {
    const [viaGlobal, viaUndici] = await both(async (fetch) => ({
      json: await (await fetch(`${base}/json`)).json(),
      arrayBuffer: Buffer.from(await (await fetch(`${base}/json`)).arrayBuffer()).toString(),
      bytes: Buffer.from(await (await fetch(`${base}/json`)).bytes()).toString(),
      blob: await (await fetch(`${base}/json`)).blob().then(async (b) => [b.type, await b.text()]),
    }));
    expect(viaUndici).toEqual(viaGlobal);
    expect(viaUndici.json).toEqual(JSON.parse(JSON_BODY));
  });

  it('refuses to read a body twice', async () => {
    const [viaGlobal, viaUndici] = await both(async (fetch) => {
      const response = await fetch(`${base}/json`);
      await response.text();
      return response.text().then(() => 'read twice', rejection);
    });
    expect(viaUndici).toEqual(viaGlobal);
    expect(viaUndici).toMatchObject({ rejected: true, name: 'TypeError' });
  });

  it('gives the body as an async iterable of bytes', async () => {
    const response = await undiciFetch(`${base}/json`);
    const body = response.body as unknown as AsyncIterable<Uint8Array>;
    const chunks: Uint8Array[] = [];
    for await (const chunk of body) chunks.push(chunk);
    expect(Buffer.concat(chunks).toString()).toBe(JSON_BODY);
    expect(response.bodyUsed).toBe(true);
  });
});

describe('undici fetch: redirects, as the global fetch follows them', () => {
  const post = { method: 'POST', body: '{"a":1}', headers: { 'content-type': 'application/json' } };
  it.each([
    [301, 'POST becomes GET, body dropped'],
    [302, 'POST becomes GET, body dropped'],
    [303, 'becomes GET, body dropped'],
    [307, 'method and body kept'],
    [308, 'method and body kept'],
  ])('%i: %s', async (status) => {
    const [viaGlobal, viaUndici] = await both(async (fetch) =>
      described(await fetch(`${base}/redirect?status=${status}`, post)),
    );
    expect(viaUndici).toEqual(viaGlobal);
    expect(viaUndici.redirected).toBe(true);
  });

  it('drops the authorization header on a redirect to another origin', async () => {
    const other = base.replace('127.0.0.1', 'localhost');
    const [viaGlobal, viaUndici] = await both(async (fetch) =>
      (
        await fetch(`${base}/redirect?status=307&to=${encodeURIComponent(`${other}/echo`)}`, {
          method: 'POST',
          body: 'x',
          headers: { authorization: 'Bearer test-token' },
        })
      ).json(),
    );
    expect(viaUndici).toEqual(viaGlobal);
    expect(viaUndici).toMatchObject({ method: 'POST', authorization: null, body: 'x' });
  });

  it.each([
    ['manual: hands back the 3xx', { redirect: 'manual' }, '/redirect?status=302'],
    ['error: rejects', { redirect: 'error' }, '/redirect?status=302'],
    ['a redirect loop: rejects after 20', {}, '/loop'],
  ] as const)('%s', async (_name, init, path) => {
    const [viaGlobal, viaUndici] = await both((fetch) =>
      fetch(`${base}${path}`, init as RequestInit).then(described, rejection),
    );
    expect(viaUndici).toEqual(viaGlobal);
  });
});

describe('undici fetch: failures, as the global fetch reports them', () => {
  it('rejects with the signal reason when aborted before the call', async () => {
    const [viaGlobal, viaUndici] = await both(async (fetch) => {
      const plain = AbortSignal.abort();
      const timedOut = AbortSignal.abort(new DOMException('too slow', 'TimeoutError'));
      return [
        await fetch(`${base}/json`, { signal: plain }).then(described, rejection),
        await fetch(`${base}/json`, { signal: timedOut }).then(described, rejection),
      ];
    });
    expect(viaUndici).toEqual(viaGlobal);
    expect(viaUndici[0]).toMatchObject({ name: 'AbortError' });
  });

  it('rejects a body read with AbortError when aborted mid-body', async () => {
    const [viaGlobal, viaUndici] = await both(async (fetch) => {
      const controller = new AbortController();
      const response = await fetch(`${base}/hold`, { signal: controller.signal });
      const reading = response.text();
      controller.abort();
      return reading.then(() => 'read', rejection);
    });
    expect(viaUndici).toEqual(viaGlobal);
    expect(viaUndici).toMatchObject({ name: 'AbortError' });
  });

  it('errors the body iterator with AbortError when aborted mid-stream', async () => {
    const [viaGlobal, viaUndici] = await both(async (fetch) => {
      const controller = new AbortController();
      const response = await fetch(`${base}/hold`, { signal: controller.signal });
      const body = response.body as unknown as AsyncIterable<Uint8Array>;
      try {
        for await (const _chunk of body) controller.abort();
        return 'ended';
      } catch (error) {
        return rejection(error);
      }
    });
    expect(viaUndici).toEqual(viaGlobal);
    expect(viaUndici).toMatchObject({ name: 'AbortError' });
  });

  it('closes the connection when an unread body is cancelled (the SDKs do this before a retry)', async () => {
    const [viaGlobal, viaUndici] = await both(async (fetch) => {
      const closed = new Promise<string>((resolve) => {
        holdClosed = () => resolve('closed');
        setTimeout(() => resolve('still open'), 5000).unref();
      });
      const response = await fetch(`${base}/hold`);
      const body = response.body as unknown as AsyncIterable<Uint8Array>;
      await body[Symbol.asyncIterator]().return?.();
      return closed;
    });
    expect(viaUndici).toEqual(viaGlobal);
    expect(viaUndici).toBe('closed');
  });

  it("errors the body with TypeError('terminated') when the connection breaks mid-body", async () => {
    const [viaGlobal, viaUndici] = await both(async (fetch) =>
      (await fetch(`${base}/cut`)).text().then(() => 'read', rejection),
    );
    expect(viaUndici).toEqual(viaGlobal);
    expect(viaUndici).toMatchObject({ name: 'TypeError', message: 'terminated' });
  });

  it("rejects with TypeError('fetch failed') and the cause when nothing listens", async () => {
    const closed = createServer().listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const { port } = closed.address() as AddressInfo;
    closed.close();
    await once(closed, 'close');
    const [viaGlobal, viaUndici] = await both((fetch) =>
      fetch(`http://127.0.0.1:${port}/`).then(described, rejection),
    );
    expect(viaUndici).toEqual(viaGlobal);
    expect(viaUndici).toMatchObject({ name: 'TypeError', message: 'fetch failed' });
    const cause = await undiciFetch(`http://127.0.0.1:${port}/`).catch((e: Error) => e.cause);
    expect(cause).toMatchObject({ code: 'ECONNREFUSED' });
  });
});
