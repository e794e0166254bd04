import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { FakeUpstream } from '../testing/index.js';
import { createKeepAliveAgent } from './keep-alive-agent.js';
import { createUndiciFetch, type Fetch } from './undici-fetch.js';
import { flattenHeaders, toUndiciRequest } from './undici-request.js';

const agent = createKeepAliveAgent();
const TRANSPORTS: [string, Fetch][] = [
  ['global fetch', globalThis.fetch],
  ['undici fetch', createUndiciFetch({ dispatcher: agent })],
];

const streamOf = (...parts: string[]) =>
  new ReadableStream<Uint8Array>({
    start(controller) {
      for (const part of parts) controller.enqueue(new TextEncoder().encode(part));
      controller.close();
    },
  });

async function* iterableOf(...parts: string[]): AsyncIterable<Uint8Array> {
  for (const part of parts) yield new TextEncoder().encode(part);
}

const form = () => {
  const data = new FormData();
  data.append('purpose', 'batch');
  data.append('file', new Blob(['{"a":1}'], { type: 'application/jsonl' }), 'in.jsonl');
  return data;
};

describe('undici fetch sends each body form as the global fetch does', () => {
  const fake = new FakeUpstream(() => ({ kind: 'json', body: { ok: true } }));
  beforeAll(() => fake.listen());
  afterAll(async () => {
    await fake.close();
    await agent.close();
  });

  // Built per call: a stream body can be read once.
  const BODIES: [string, () => RequestInit][] = [
    [
      'a JSON string with its content type',
      () => ({ body: '{"model":"m"}', headers: { 'Content-Type': 'application/json' } }),
    ],
    ['a string without a content type', () => ({ body: 'plain text' })],
    ['a Uint8Array', () => ({ body: new TextEncoder().encode('bytes') })],
    ['a Buffer', () => ({ body: Buffer.from('buffer bytes') })],
    ['a view into a larger buffer', () => ({ body: Buffer.from('xxsliceyy').subarray(2, 7) })],
    ['an ArrayBuffer', () => ({ body: new TextEncoder().encode('array buffer').buffer })],
    ['a DataView', () => ({ body: new DataView(new TextEncoder().encode('data view').buffer) })],
    ['URLSearchParams', () => ({ body: new URLSearchParams({ a: '1', b: 'two words' }) })],
    ['a Blob with a type', () => ({ body: new Blob(['{"b":2}'], { type: 'application/json' }) })],
    ['FormData (multipart)', () => ({ body: form() })],
    ['a ReadableStream', () => ({ body: streamOf('str', 'eam'), duplex: 'half' }) as RequestInit],
    [
      'an async iterable',
      () => ({ body: iterableOf('iter', 'able') as unknown as BodyInit, duplex: 'half' }) as RequestInit,
    ],
    ['an empty string', () => ({ body: '' })],
    ['no body', () => ({})],
  ];

  it.each(BODIES)('%s', async (_name, init) => {
    const seen = [];
    for (const [, fetch] of TRANSPORTS) {
      const response = await fetch(`${fake.url}/upload`, { method: 'POST', ...init() });
      await response.json();
      const { method, headers, body } = fake.lastRequest ?? {};
      const contentType = String(headers?.['content-type'] ?? '');
      const boundary = /boundary=(.+)$/.exec(contentType)?.[1];
      const unbound = (text: string) => (boundary ? text.split(boundary).join('BOUNDARY') : text);
      seen.push({
        method,
        contentType: unbound(contentType),
        contentLength: headers?.['content-length'],
        chunked: headers?.['transfer-encoding'],
        body: unbound(typeof body === 'string' ? body : JSON.stringify(body)),
      });
    }
    expect(seen[1]).toEqual(seen[0]);
  });

  it.each([
    ['a Headers object', () => new Headers({ 'X-One': '1', 'x-two': 'b' })],
    ['a record', () => ({ 'X-One': '1', 'x-two': 'b' })],
    [
      'pairs',
      () =>
        [
          ['X-One', '1'],
          ['x-two', 'b'],
        ] as [string, string][],
    ],
    [
      'pairs repeating a name',
      () =>
        [
          ['x-one', '1'],
          ['x-two', 'a'],
          ['X-Two', 'b'],
        ] as [string, string][],
    ],
  ])('headers from %s', async (_name, headers) => {
    const seen = [];
    for (const [, fetch] of TRANSPORTS) {
      await (await fetch(`${fake.url}/h`, { headers: headers() })).json();
      const sent = fake.lastRequest?.headers ?? {};
      seen.push({ one: sent['x-one'], two: sent['x-two'], accept: sent.accept });
    }
    expect(seen[1]).toEqual(seen[0]);
  });
});

describe('toUndiciRequest', () => {
  it('reads the URL, method, headers and body', async () => {
    const signal = new AbortController().signal;
    const request = await toUndiciRequest(new URL('http://h.test/v1/x?q=1#frag'), {
      method: 'post',
      headers: { 'Content-Type': 'application/json', Authorization: 'Bearer k' },
      body: '{}',
      signal,
    });
    expect(request).toMatchObject({
      method: 'POST',
      headers: ['content-type', 'application/json', 'authorization', 'Bearer k', 'accept', '*/*'],
      body: '{}',
      signal,
      redirect: 'follow',
      redirected: false,
    });
    expect(request.url.href).toBe('http://h.test/v1/x?q=1#frag');
  });

  it('upper-cases the methods fetch upper-cases, and only those', async () => {
    expect((await toUndiciRequest('http://h.test', { method: 'delete' })).method).toBe('DELETE');
    expect((await toUndiciRequest('http://h.test', { method: 'patch', body: 'x' })).method).toBe('patch');
  });

  it('takes a Request, with init over its fields', async () => {
    const source = new Request('http://h.test/a', {
      method: 'PUT',
      headers: { 'x-a': '1' },
      body: 'from request',
    });
    const request = await toUndiciRequest(source, { headers: { 'x-b': '2' } });
    expect(request.method).toBe('PUT');
    expect(request.headers).toEqual(['x-b', '2', 'accept', '*/*']);
    expect(request.body).toBeInstanceOf(Readable);
  });

  it('keeps an accept and content type given, and adds fetch defaults otherwise', async () => {
    const given = await toUndiciRequest('http://h.test', {
      method: 'POST',
      headers: { accept: 'application/json', 'content-type': 'application/json' },
      body: '{}',
    });
    expect(given.headers).toEqual(['accept', 'application/json', 'content-type', 'application/json']);
    const params = await toUndiciRequest('http://h.test', {
      method: 'POST',
      body: new URLSearchParams('a=1'),
    });
    expect(params.headers).toEqual([
      'content-type',
      'application/x-www-form-urlencoded;charset=UTF-8',
      'accept',
      '*/*',
    ]);
    expect(params.body).toBe('a=1');
  });

  it('rejects what fetch rejects: a GET with a body, a URL with credentials, a bad URL', async () => {
    // By name: `new URL` throws a TypeError from outside jest's realm.
    const typeError = { name: 'TypeError' };
    await expect(toUndiciRequest('http://h.test', { body: 'x' })).rejects.toMatchObject(typeError);
    await expect(toUndiciRequest('http://user:pw@h.test')).rejects.toMatchObject(typeError);
    await expect(toUndiciRequest('not a url')).rejects.toMatchObject(typeError);
  });

  it('flattens every header form to lower-case name/value pairs', () => {
    expect(flattenHeaders(new Headers({ 'X-A': '1' }))).toEqual(['x-a', '1']);
    expect(flattenHeaders({ 'X-A': '1', 'x-b': '2' })).toEqual(['x-a', '1', 'x-b', '2']);
    expect(flattenHeaders([['X-A', '1']])).toEqual(['x-a', '1']);
    expect(flattenHeaders(undefined)).toEqual([]);
  });
});
