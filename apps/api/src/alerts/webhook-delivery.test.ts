import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type DeliveryPolicy, deliverWebhook } from './webhook-delivery.js';

const FAST: DeliveryPolicy = {
  attempts: 4,
  timeoutMs: 2000,
  initialDelayMs: 10,
  maxDelayMs: 50,
  maxRetryAfterMs: 5000,
};

describe('deliverWebhook', () => {
  let server: Server;
  let url: string;
  let handler: (req: IncomingMessage, res: ServerResponse, attempt: number) => void;
  let arrivals: { at: number; body: string; headers: IncomingMessage['headers'] }[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        arrivals.push({ at: Date.now(), body: Buffer.concat(chunks).toString(), headers: req.headers });
        handler(req, res, arrivals.length);
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    server.close();
  });

  const request = (n = 0) => ({ url, body: '{"a":1}', headers: () => ({ 'x-attempt-header': String(++n) }) });
  const reset = (respond: typeof handler) => {
    arrivals = [];
    handler = respond;
  };

  it('POSTs the body as JSON with fresh headers per attempt, retrying 5xx', async () => {
    reset((_req, res, attempt) => res.writeHead(attempt < 3 ? 503 : 204).end());
    const outcome = await deliverWebhook(request(), FAST);
    expect(outcome).toEqual({ delivered: true, attempts: 3, status: 204 });
    expect(arrivals.map((a) => a.body)).toEqual(['{"a":1}', '{"a":1}', '{"a":1}']);
    expect(arrivals.map((a) => a.headers['x-attempt-header'])).toEqual(['1', '2', '3']);
    expect(arrivals[0]?.headers['content-type']).toBe('application/json');
  });

  it('gives up after the last attempt', async () => {
    reset((_req, res) => res.writeHead(500).end('boom'));
    expect(await deliverWebhook(request(), FAST)).toEqual({
      delivered: false,
      attempts: 4,
      reason: 'HTTP 500',
    });
    expect(arrivals).toHaveLength(4);
  });

  it('does not retry other 4xx answers', async () => {
    reset((_req, res) => res.writeHead(410).end());
    expect(await deliverWebhook(request(), FAST)).toEqual({
      delivered: false,
      attempts: 1,
      reason: 'HTTP 410',
    });
  });

  it('waits as long as a 429 Retry-After asks', async () => {
    reset((_req, res, attempt) =>
      attempt === 1 ? res.writeHead(429, { 'retry-after': '1' }).end() : res.writeHead(200).end(),
    );
    expect(await deliverWebhook(request(), FAST)).toMatchObject({ delivered: true, attempts: 2 });
    const [first, second] = arrivals;
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(950);
  });

  it('times out an attempt that gets no answer, and retries it', async () => {
    reset((_req, res, attempt) => {
      if (attempt > 1) res.writeHead(200).end();
    });
    expect(await deliverWebhook(request(), { ...FAST, timeoutMs: 1000 })).toMatchObject({
      delivered: true,
      attempts: 2,
    });
  });

  it('retries network errors and reports their code', async () => {
    const closed = createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const port = (closed.address() as AddressInfo).port;
    closed.close();
    const outcome = await deliverWebhook({ ...request(), url: `http://127.0.0.1:${port}/` }, FAST);
    expect(outcome).toEqual({ delivered: false, attempts: 4, reason: 'ECONNREFUSED' });
  });

  it('stops retrying once its signal is aborted', async () => {
    reset((_req, res) => res.writeHead(503).end());
    const stop = new AbortController();
    const delivering = deliverWebhook(
      request(),
      { ...FAST, initialDelayMs: 100, maxDelayMs: 100 },
      stop.signal,
    );
    setTimeout(() => stop.abort(), 50);
    expect(await delivering).toMatchObject({ delivered: false, reason: 'abandoned at shutdown' });
    expect(arrivals.length).toBeLessThan(3);
  });
});
