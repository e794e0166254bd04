import { errorCodes, type FastifyInstance, type FastifyRequest } from 'fastify';

/** Whether the request has no body: neither chunked nor a `content-length` above 0. */
export function hasEmptyBody(request: FastifyRequest): boolean {
  const { 'content-length': length, 'transfer-encoding': chunked } = request.headers;
  return chunked === undefined && (length === undefined || length === '0');
}

/**
 * Takes an empty body as no body whatever its content type, as many HTTP clients send a
 * content type on every request (a DELETE or a cancel with nothing in it). Non-empty JSON
 * bodies go to Fastify's own JSON parser (prototype-poisoning checks included); non-empty
 * bodies of a type no route reads are a 415 before a byte of them is read (a chunked one
 * at its first byte). A route that needs
 * a body says so when its validation finds none.
 */
export function acceptEmptyBodies(fastify: FastifyInstance): void {
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (typeof body === 'string' && body.trim() === '') {
      done(null, undefined);
      return;
    }
    parseJson(request, String(body), done);
  });
  // Every other type (multipart has its own parser, and its own check of empty bodies, which
  // takes a chunked one as not empty). An unknown path stays a 404 whatever its body, as
  // when no parser matched.
  fastify.addContentTypeParser('*', (request, payload, done) => {
    if (request.is404 || hasEmptyBody(request)) return done(null, undefined);
    if (request.headers['transfer-encoding'] === undefined)
      return done(new errorCodes.FST_ERR_CTP_INVALID_MEDIA_TYPE(), undefined);
    // Chunked: empty if it ends before a byte comes; at the first byte, a 415 (the rest is
    // drained with the error's answer).
    let settled = false;
    const settle = (error: Error | null) => {
      if (settled) return;
      settled = true;
      payload.off('data', onData);
      payload.off('end', onEnd);
      payload.off('error', onError);
      done(error, undefined);
    };
    const onData = (chunk: Buffer) => {
      if (chunk.length > 0) settle(new errorCodes.FST_ERR_CTP_INVALID_MEDIA_TYPE());
    };
    const onEnd = () => settle(null);
    // A client that hung up mid-body: its fault (400, as Fastify's own body reader says), not ours.
    const onError = (error: Error & { statusCode?: number }) => {
      error.statusCode ??= 400;
      settle(error);
    };
    payload.on('data', onData);
    payload.once('end', onEnd);
    payload.once('error', onError);
  });
}
