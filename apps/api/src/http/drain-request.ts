import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';

/** How much of a refused request's unread body is read and dropped, and for how long, before its connection is cut. */
export interface DrainLimits {
  bytes: number;
  ms: number;
}

/** Enough for an audio upload of OpenAI's size (25 MB) twice over; a client sending more is cut off. */
export const DRAIN_LIMITS: DrainLimits = { bytes: 64 * 1024 * 1024, ms: 30_000 };

/** The sockets lingering for a body, so a shutdown need not wait for them. */
const lingering = new Set<Socket>();

/**
 * Answers a request refused before its body was read (an upload over the limit, a bad
 * form, a 401 on an upload) without cutting off a client still sending it: the answer goes
 * out with `connection: close`; the body is then read and dropped, at most `limits.bytes`
 * of it for at most `limits.ms`, and the connection is cut. Cutting it at once would reset
 * it under a client still writing, and such a client may lose the answer with it.
 *
 * Node closes a `connection: close` exchange with `socket.destroySoon()` once the answer is
 * written; while draining, that becomes a half-close (the answer and a FIN go out, the body
 * is still read), and the socket is destroyed when the body has been read or a limit is hit.
 * Does nothing for a body already read, or a client already gone. Call it before the answer
 * is sent, so its header carries `connection: close`.
 */
export function drainRequest(
  request: IncomingMessage,
  response: ServerResponse,
  limits: DrainLimits = DRAIN_LIMITS,
): void {
  const socket = request.socket as Socket | null;
  if (request.complete || request.readableEnded || request.destroyed || !socket || socket.destroyed) return;
  if (!response.headersSent) response.setHeader('connection', 'close');
  if (lingering.has(socket)) return;
  lingering.add(socket);
  const destroySoon = socket.destroySoon;
  let answered = false;
  let read = 0;
  const stop = () => {
    clearTimeout(timer);
    request.off('data', onData);
    request.off('end', onEnd);
    socket.off('close', stop);
    lingering.delete(socket);
    socket.destroySoon = destroySoon;
  };
  /** Too much read: cut once the answer is out (reading no more meanwhile); out of time: cut now. */
  const cut = (waitForAnswer: boolean) => {
    stop();
    request.pause();
    if (waitForAnswer && !response.writableFinished && !response.destroyed)
      response.once('close', () => socket.destroy());
    else socket.destroy();
  };
  const onData = (chunk: Buffer | string) => {
    read += chunk.length;
    if (read > limits.bytes) cut(true);
  };
  const onEnd = () => {
    stop();
    // Node asked to close while the body was coming in: close now it is read.
    if (answered) socket.destroySoon();
  };
  const timer = setTimeout(cut, limits.ms, false);
  timer.unref();
  socket.destroySoon = () => {
    answered = true;
    socket.end();
  };
  request.on('data', onData);
  request.once('end', onEnd);
  socket.once('close', stop);
  request.resume();
}

/** Cuts the connections still draining a refused body when the server shuts down (for `fastify.close()`). */
export function cutDrainsOnClose(fastify: FastifyInstance): void {
  fastify.addHook('preClose', (done) => {
    const server = fastify.server;
    for (const socket of lingering) {
      if ((socket as Socket & { server?: unknown }).server === server) socket.destroy();
    }
    done();
  });
}
