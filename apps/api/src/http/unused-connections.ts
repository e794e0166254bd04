import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';

/**
 * Lets a graceful shutdown close the connections on which no request has begun (a load
 * balancer's or a client pool's spare). Fastify's close ends idle keep-alive connections
 * and waits for the busy ones; but Node counts a connection that has not sent a byte as
 * busy (it is timing that first request's headers), so one such connection would hold the
 * shutdown until `headersTimeout` (60 s), past `SHUTDOWN_TIMEOUT_MS`'s forced exit.
 * Connections with a request under way are left to finish it, and closed once idle.
 */
export function closeUnusedConnectionsOnShutdown(fastify: FastifyInstance): void {
  const open = new Set<Socket>();
  fastify.server.on('connection', (socket: Socket) => {
    open.add(socket);
    socket.once('close', () => open.delete(socket));
  });
  fastify.addHook('preClose', (done) => {
    // Fastify stops listening right after this hook: sweep once it has.
    setImmediate(() => {
      for (const socket of open) if (socket.bytesRead === 0) socket.destroy();
    });
    // A connection whose last answer (a stream, say) ends during the shutdown turns idle
    // then: closed as it does, not when the client's keep-alive gives up on it seconds later.
    const sweep = setInterval(() => fastify.server.closeIdleConnections?.(), 100);
    sweep.unref();
    fastify.server.once('close', () => clearInterval(sweep));
    done();
  });
}
