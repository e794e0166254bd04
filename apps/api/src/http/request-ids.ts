import type { FastifyInstance } from 'fastify';

/** Every response names its request id; a caller's own `x-request-id` is logged beside ours. */
export function exposeRequestIds(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    const given = request.headers['x-request-id'];
    if (typeof given === 'string' && given)
      request.log = request.log.child({ clientRequestId: given.slice(0, 128) });
    done();
  });
}
