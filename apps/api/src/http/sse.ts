import type { ServerResponse } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * Sends server-sent events from an async iterable of ready-made event texts, honouring
 * backpressure. `onClose` fires when the client goes away, so the caller can abort the
 * upstream call (and its usage row records the cut).
 */
export async function sendSse(
  request: FastifyRequest,
  reply: FastifyReply,
  events: AsyncIterable<string>,
  abort: AbortController,
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
  const onClose = () => {
    if (!raw.writableFinished) abort.abort();
  };
  raw.on('close', onClose);
  try {
    for await (const event of events) {
      if (raw.destroyed) break;
      if (!raw.write(event)) await drainedOrClosed(raw);
    }
  } finally {
    raw.off('close', onClose);
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
