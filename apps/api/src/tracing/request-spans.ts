import type { IncomingMessage } from 'node:http';
import { type Context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { FastifyInstance } from 'fastify';
import { TRACER_NAME } from './tracing.js';

/** Each request's trace context (its span), by request. */
const CONTEXTS = new WeakMap<IncomingMessage, Context>();

/**
 * One SERVER span per request, continuing an incoming W3C `traceparent`: named after the
 * route (`POST /v1/chat/completions`), with its status code; a 5xx or an aborted request
 * is an error.
 */
export function traceRequests(fastify: FastifyInstance): void {
  const tracer = trace.getTracer(TRACER_NAME);
  fastify.addHook('onRequest', (request, _reply, done) => {
    const parent = propagation.extract(ROOT_CONTEXT, request.headers);
    const route = request.routeOptions.url ?? request.url.split('?')[0];
    const span = tracer.startSpan(
      `${request.method} ${route}`,
      {
        kind: SpanKind.SERVER,
        attributes: {
          'http.request.method': request.method,
          'http.route': route,
          'url.path': request.url.split('?')[0],
          'aigw.request_id': String(request.id),
        },
      },
      parent,
    );
    CONTEXTS.set(request.raw, trace.setSpan(parent, span));
    done();
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    const span = spanOf(request.raw);
    if (span) {
      span.setAttribute('http.response.status_code', reply.statusCode);
      if (reply.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    }
    done();
  });
  fastify.addHook('onRequestAbort', (request, done) => {
    const span = spanOf(request.raw);
    if (span) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: 'the client closed the connection' });
      span.end();
    }
    done();
  });
}

/** The trace context of a request (its span), if tracing is on. */
export function requestTraceContext(request: IncomingMessage): Context | undefined {
  return CONTEXTS.get(request);
}

function spanOf(request: IncomingMessage) {
  const ctx = CONTEXTS.get(request);
  return ctx ? trace.getSpan(ctx) : undefined;
}
