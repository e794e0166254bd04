import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyRequest } from 'fastify';

const responses = new WeakMap<IncomingMessage, ServerResponse>();

/** Remembers each request's response, for code that is handed only the request. */
export function rememberResponses(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    responses.set(request.raw, reply.raw);
    done();
  });
}

/** The response of a request (undefined before its first hook ran). */
export function responseOf(request: FastifyRequest): ServerResponse | undefined {
  return responses.get(request.raw);
}
