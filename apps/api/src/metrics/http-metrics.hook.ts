import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { MetricsService } from './metrics.service.js';

/** The route label of requests no route matched (404s), so random URLs cannot add series. */
export const UNMATCHED_ROUTE = 'unmatched';

/** The routes whose requests are not counted: scrapes of /metrics itself. */
const UNCOUNTED_ROUTES = new Set(['/metrics']);

/**
 * Counts and times every answered HTTP request through a Fastify `onResponse` hook,
 * labelled with the matched route pattern (e.g. `/v1/chat/completions`), never the raw
 * URL. Streams count when their last byte is sent; a client that hangs up first is
 * not counted (Fastify only runs `onResponse` on a finished response).
 */
@Injectable()
export class HttpMetricsHook implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly metrics: MetricsService,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify) return;
    fastify.addHook('onResponse', (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
      const route = request.routeOptions.url ?? UNMATCHED_ROUTE;
      if (!UNCOUNTED_ROUTES.has(route))
        this.metrics.recordHttpRequest(route, request.method, reply.statusCode, reply.elapsedTime / 1000);
      done();
    });
  }
}
