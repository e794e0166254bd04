import { once } from 'node:events';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * Sends server-sent events from an async iterable of ready-made event texts, honouring
 * backpressure. `onClose` fires when the client goes away, so the caller can abort the
 * upstream call (and its usage row records the cut).
 *
 * Events produced together (those parsed from one upstream read) go out in one socket
 * write: the response is corked at the first of them and uncorked on the next tick,
 * once the current burst of promise continuations is done — no event waits for a later
 * one, and a stream does not cost one system call per event.
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
  let corked = false;
  const uncork = () => {
    if (!corked) return;
    corked = false;
    raw.uncork();
  };
  try {
    for await (const event of events) {
      if (raw.destroyed) break;
      if (!corked) {
        corked = true;
        raw.cork();
        process.nextTick(uncork);
      }
      if (!raw.write(event)) {
        uncork();
        await Promise.race([once(raw, 'drain'), once(raw, 'close')]);
      }
    }
  } finally {
    raw.off('close', onClose);
    uncork();
    if (!raw.writableEnded) raw.end();
  }
}
