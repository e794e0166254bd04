import type { ServerResponse } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * Sends server-sent events from an async iterable of ready-made event texts, honouring
 * backpressure, and stops when the client has gone (the caller aborts the upstream call
 * then: see `abortWhenClientGone`).
 */
export async function sendSse(
  request: FastifyRequest,
  reply: FastifyReply,
  events: AsyncIterable<string>,
): Promise<void> {
  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
    'x-request-id': String(request.id),
  });
  try {
    for await (const event of events) {
      if (raw.destroyed) break;
      if (!raw.write(event)) await drainedOrClosed(raw);
    }
  } finally {
    if (!raw.writableEnded) raw.end();
  }
}

/** Resolves once the response drains or closes, leaving no listener behind either way. */
function drainedOrClosed(raw: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      raw.off('drain', done);
      raw.off('close', done);
      resolve();
    };
    raw.once('drain', done);
    raw.once('close', done);
  });
}
