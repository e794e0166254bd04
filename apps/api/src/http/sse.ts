import type { ServerResponse } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** How a stream is sent. */
export interface SseOptions {
  /**
   * Longest wait for a client that has stopped reading while its buffers are full; then
   * the connection is closed, as if the client had gone (STREAM_STALL_TIMEOUT_MS).
   */
  stallTimeoutMs: number;
}

/**
 * Sends server-sent events from an async iterable of ready-made event texts (or a
 * provider's own stream bytes, on the native lane), honouring
 * backpressure, and stops when the client has gone (the caller aborts the upstream call
 * then: see `abortWhenClientGone`). A client that stops reading without going away is
 * closed after `stallTimeoutMs`, so it cannot hold the upstream call open for ever.
 */
export function sendSse(
  request: FastifyRequest,
  reply: FastifyReply,
  events: AsyncIterable<string | Uint8Array>,
  options: SseOptions,
): Promise<void> {
  return sendStream(request, reply, events, options, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
  });
}

/**
 * Sends any streamed body (a provider's audio, say) with `headers`, as sendSse sends events:
 * with backpressure, stopping when the client has gone or has stopped reading.
 */
export async function sendStream(
  request: FastifyRequest,
  reply: FastifyReply,
  chunks: AsyncIterable<string | Uint8Array>,
  options: SseOptions,
  headers: Record<string, string>,
): Promise<void> {
  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(200, { ...headers, 'x-accel-buffering': 'no', 'x-request-id': String(request.id) });
  const events = chunks;
  try {
    for await (const event of events) {
      if (raw.destroyed) break;
      if (!raw.write(event) && !(await drainedOrClosed(raw, options.stallTimeoutMs))) {
        request.log.warn(
          { stallTimeoutMs: options.stallTimeoutMs },
          'stream closed: the client stopped reading',
        );
        raw.destroy();
        break;
      }
    }
  } catch (error) {
    // Failed part-way (the provider's connection broke): an answer that ends cleanly would
    // pass for a whole one, so the connection is cut and the client sees it incomplete.
    request.log.warn({ err: error }, 'stream failed part-way: the connection is cut');
    raw.destroy();
  } finally {
    if (!raw.writableEnded && !raw.destroyed) raw.end();
  }
}

/**
 * Whether the response drains or closes within `timeoutMs` (false: it did neither),
 * leaving no listener or timer behind either way.
 */
function drainedOrClosed(raw: ServerResponse, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const settle = (moved: boolean) => {
      clearTimeout(timer);
      raw.off('drain', done);
      raw.off('close', done);
      resolve(moved);
    };
    const done = () => settle(true);
    const timer = setTimeout(() => settle(false), timeoutMs);
    raw.once('drain', done);
    raw.once('close', done);
  });
}
