import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, afterEach, describe, expect, it } from '@jest/globals';
import OpenAI from 'openai';
import { anthropicStreamEvents, type FakeReply, openAIFake } from '../testing/index.js';
import { createKeepAliveAgent } from './keep-alive-agent.js';
import { createUndiciFetch, type Fetch } from './undici-fetch.js';

// What happens on the wire: SSE reaches the SDK event by event, and sockets are closed
// or reused as with the global fetch. FakeUpstream hides its sockets and sends a stream
// on its own schedule, so these tests use a small server of their own.

const KEY = 'test-key-not-a-secret';
const agent = createKeepAliveAgent();
const TRANSPORTS: [string, Fetch][] = [
  ['global fetch', globalThis.fetch],
  ['undici fetch', createUndiciFetch({ dispatcher: agent })],
];

/** A server that sends the first SSE event, then holds the stream until `release()`. */
class GatedServer {
  readonly log: string[] = [];
  /** Connections accepted, and still open. */
  accepted = 0;
  open = 0;
  private releaseGate: () => void = () => {};
  private gate = new Promise<void>((resolve) => {
    this.releaseGate = resolve;
  });
  private allClosedWaiters: (() => void)[] = [];
  private readonly server = createServer((req, res) => void this.serve(req, res));

  constructor(
    private readonly events: string[],
    /** Plain JSON replies, by status, for requests without `"stream":true`. */
    private readonly json: (status: number) => unknown = () => ({}),
  ) {
    this.server.on('connection', (socket: Socket) => {
      this.accepted++;
      this.open++;
      socket.on('close', () => {
        this.open--;
        if (this.open === 0) for (const done of this.allClosedWaiters.splice(0)) done();
      });
    });
  }

  async listen(): Promise<string> {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  release(): void {
    this.releaseGate();
  }

  /** 'closed' once no connection is open; 'still open' if that does not happen soon (a hang guard, not a timing check). */
  allClosed(): Promise<'closed' | 'still open'> {
    if (this.open === 0) return Promise.resolve('closed');
    return Promise.race([
      new Promise<'closed'>((resolve) => this.allClosedWaiters.push(() => resolve('closed'))),
      new Promise<'still open'>((resolve) => setTimeout(() => resolve('still open'), 5000).unref()),
    ]);
  }

  async close(): Promise<void> {
    this.release();
    this.server.closeAllConnections();
    this.server.close();
    await once(this.server, 'close').catch(() => {});
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let text = '';
    for await (const chunk of req) text += chunk;
    const status = Number(req.headers['x-test-status'] ?? 200);
    if (!text.includes('"stream":true')) {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(this.json(status)));
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    res.write(`${this.events[0]}\n\n`);
    this.log.push('sent first event');
    // A guard so that a transport that buffers fails the ordering check instead of hanging.
    const guard = setTimeout(() => {
      this.log.push('released by the guard');
      this.release();
    }, 5000);
    await this.gate;
    clearTimeout(guard);
    if (res.destroyed) {
      this.log.push('client had gone');
      return;
    }
    this.log.push('sent the rest');
    for (const event of this.events.slice(1)) res.write(`${event}\n\n`);
    res.end();
  }
}

const openAIEvents = (): string[] => {
  const reply = openAIFake()({
    method: 'POST',
    path: '/v1/chat/completions',
    headers: {},
    body: { model: 'gpt-4o-mini', stream: true },
  }) as FakeReply;
  if (reply.kind !== 'sse') throw new Error('expected an SSE reply');
  return reply.events;
};

interface StreamingSdk {
  name: string;
  events: () => string[];
  json: (status: number) => unknown;
  client: (
    fetch: Fetch,
    baseURL: string,
  ) => {
    stream(signal?: AbortSignal): Promise<AsyncIterable<unknown>>;
    json(status?: number): Promise<unknown>;
  };
}

const SDKS: StreamingSdk[] = [
  {
    name: 'openai',
    events: openAIEvents,
    json: (status) =>
      status === 200
        ? { id: 'chatcmpl-1', object: 'chat.completion', choices: [] }
        : { error: { message: `status ${status}`, type: 'server_error', param: null, code: null } },
    client: (fetch, baseURL) => {
      const client = new OpenAI({ apiKey: KEY, baseURL: `${baseURL}/v1`, maxRetries: 0, fetch });
      const body = { model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content: 'Hi' }] };
      return {
        stream: (signal) => client.chat.completions.create({ ...body, stream: true }, { signal }),
        json: (status = 200) =>
          client.chat.completions.create(
            { ...body, stream: false },
            { headers: { 'x-test-status': String(status) } },
          ),
      };
    },
  },
  {
    name: 'anthropic',
    events: () => anthropicStreamEvents({}, 'claude-sonnet-5-5'),
    json: (status) =>
      status === 200
        ? { id: 'msg_1', type: 'message', content: [] }
        : { type: 'error', error: { type: 'api_error', message: `status ${status}` } },
    client: (fetch, baseURL) => {
      const client = new Anthropic({ apiKey: KEY, baseURL, maxRetries: 0, fetch });
      const body = {
        model: 'claude-sonnet-5-5',
        max_tokens: 64,
        messages: [{ role: 'user', content: 'Hi' }],
      };
      return {
        stream: (signal) =>
          client.post<AsyncIterable<unknown>>('/v1/messages', {
            body: { ...body, stream: true },
            stream: true,
            signal,
          }) as unknown as Promise<AsyncIterable<unknown>>,
        json: (status = 200) =>
          client.post('/v1/messages', {
            body: { ...body, stream: false },
            headers: { 'x-test-status': String(status) },
          }),
      };
    },
  },
];

const CASES = SDKS.flatMap((sdk) => TRANSPORTS.map(([transport, fetch]) => ({ sdk, transport, fetch })));

describe.each(CASES)('$sdk.name SDK over $transport', ({ sdk, fetch }) => {
  let server: GatedServer;
  afterEach(() => server.close());

  it('hands the SDK the first event while the upstream still holds the stream open', async () => {
    server = new GatedServer(sdk.events(), sdk.json);
    const url = await server.listen();
    const received: unknown[] = [];
    for await (const event of await sdk.client(fetch, url).stream()) {
      if (!received.length) {
        server.log.push('SDK got the first event');
        server.release();
      }
      received.push(event);
    }
    expect(server.log).toEqual(['sent first event', 'SDK got the first event', 'sent the rest']);
    expect(received.length).toBeGreaterThan(3);
  });

  it('closes the connection when the caller aborts mid-stream', async () => {
    server = new GatedServer(sdk.events(), sdk.json);
    const url = await server.listen();
    const controller = new AbortController();
    let seen = 0;
    for await (const _event of await sdk.client(fetch, url).stream(controller.signal)) {
      seen++;
      controller.abort();
    }
    expect(seen).toBe(1);
    expect(await server.allClosed()).toBe('closed');
    server.release();
  });

  it('closes the connection when the consumer stops reading (break)', async () => {
    server = new GatedServer(sdk.events(), sdk.json);
    const url = await server.listen();
    for await (const _event of await sdk.client(fetch, url).stream()) break;
    expect(await server.allClosed()).toBe('closed');
  });

  it('keeps reusing its kept-alive connections after answers, error answers and finished streams', async () => {
    server = new GatedServer(sdk.events(), sdk.json);
    const url = await server.listen();
    server.release();
    const calls = sdk.client(fetch, url);
    // Back-to-back calls can open a second socket before the first is marked free.
    await calls.json();
    await calls.json();
    const warm = server.accepted;
    for (let i = 0; i < 2; i++) {
      await expect(calls.json(429)).rejects.toMatchObject({ status: 429 });
      await expect(calls.json(500)).rejects.toMatchObject({ status: 500 });
      for await (const _event of await calls.stream()) {
        // read to the end
      }
      await calls.json();
    }
    // A body left unread would hold its socket, and later calls would need new ones.
    expect(warm).toBeLessThanOrEqual(2);
    expect(server.accepted).toBe(warm);
    expect(server.open).toBe(warm);
  });
});

afterAll(() => agent.close());
