import { MethodNotAllowedException } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';
import { sendError } from './gateway-exception.filter.js';

/** A route's path pattern as a regular expression for a concrete path (`:id` one segment, `*` the rest). */
function patternOf(url: string): RegExp {
  const source = url
    .split('/')
    .map((segment) =>
      segment === '*'
        ? '.*'
        : segment.startsWith(':')
          ? '[^/]+'
          : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
    )
    .join('/');
  return new RegExp(`^${source}/?$`);
}

/**
 * Answers a known path called with a method it does not take with 405 and `Allow` (in the
 * route's error format), where Fastify alone answers 404. Must run before routes are
 * registered (it collects them as they are).
 */
export function answerMethodNotAllowed(fastify: FastifyInstance): void {
  const routes: { methods: string[]; pattern: RegExp }[] = [];
  fastify.addHook('onRoute', (route) => {
    const methods = [route.method].flat().filter((m) => m !== 'HEAD' && m !== 'OPTIONS');
    if (route.url && methods.length) routes.push({ methods, pattern: patternOf(route.url) });
  });
  fastify.addHook('onRequest', (request, reply, done) => {
    if (!request.is404) return done();
    const path = request.url.split('?', 1)[0] ?? '';
    const allowed = new Set(routes.filter((r) => r.pattern.test(path)).flatMap((r) => r.methods));
    if (allowed.size === 0 || allowed.has(request.method)) return done();
    const allow = [...allowed].sort().join(', ');
    reply.header('allow', allow);
    sendError(
      request,
      reply,
      new MethodNotAllowedException(`${request.method} is not allowed on ${path}; use ${allow}.`),
    );
  });
}
