import type { FastifyInstance } from 'fastify';

/**
 * Takes an empty body sent as `application/json` as no body, as many HTTP clients send
 * that header on every request (a DELETE or a cancel with nothing in it). Non-empty
 * bodies go to Fastify's own JSON parser (prototype-poisoning checks included); a route
 * that needs a body says so when its validation finds none.
 */
export function acceptEmptyJsonBodies(fastify: FastifyInstance): void {
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (typeof body === 'string' && body.trim() === '') {
      done(null, undefined);
      return;
    }
    parseJson(request, String(body), done);
  });
}
