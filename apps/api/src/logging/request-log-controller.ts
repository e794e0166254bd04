import { type FastifyReply, type FastifyRequest, LogController } from 'fastify';

const QUIET_ROUTES = new Set(['/health', '/metrics']);

/**
 * Fastify's request logging, reduced to one line per finished request (id, method, url,
 * status, time taken); probes of /health and /metrics are not logged.
 */
export class RequestLogController extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    if (!error && QUIET_ROUTES.has(request.url.split('?')[0] ?? '')) return;
    const level = reply.statusCode >= 500 ? 'error' : 'info';
    request.log[level](
      {
        req: request,
        res: reply,
        responseTime: Math.round(reply.elapsedTime * 100) / 100,
        ...(error ? { err: error } : {}),
      },
      'request completed',
    );
  }
}
