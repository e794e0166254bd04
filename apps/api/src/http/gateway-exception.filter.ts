import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { drainRequest } from './drain-request.js';
import { errorBody, errorFormatFor } from './error-format.js';
import { toHttpError } from './http-error.js';
import { passThroughReply } from './upstream-reply.js';

/** Every error, in the format of the route it happened on (OpenAI's or Anthropic's). */
@Catch()
export class GatewayExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpError');

  catch(exception: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    sendError(request, reply, exception, this.logger);
  }
}

/** Writes `error` to the reply in the route's format (also used by Fastify's own error handler). */
export function sendError(
  request: FastifyRequest,
  reply: FastifyReply,
  error: unknown,
  logger?: Logger,
): void {
  // A body not read yet (a refused upload) is read and dropped, up to a limit, so a client
  // still sending it can read the answer; the connection closes after.
  drainRequest(request.raw, reply.raw);
  const format = errorFormatFor(request.url, request.headers['anthropic-version']);
  if (format === 'plain' && error instanceof HttpException && !reply.sent) {
    // Routes outside the APIs (health, docs) keep Nest's own bodies, e.g. terminus' details.
    const body = error.getResponse();
    reply
      .status(error.getStatus())
      .send(typeof body === 'string' ? { statusCode: error.getStatus(), message: body } : body);
    return;
  }
  const http = toHttpError(error);
  const upstream = passThroughReply(format, error);
  if (http.code === 'database_unavailable') logger?.warn(`${request.method} ${request.url}: ${http.message}`);
  else if (http.status >= 500)
    logger?.error(`${request.method} ${request.url}: ${(error as Error)?.stack ?? String(error)}`);
  if (reply.sent || reply.raw.headersSent) {
    // A stream already started: its writer reports the error in-band.
    if (!reply.raw.writableEnded) reply.raw.end();
    return;
  }
  if (upstream) {
    // The native lane: the provider judged the request, and the caller reads its own format.
    reply
      .status(upstream.status)
      .headers(http.headers ?? {})
      .header('content-type', upstream.contentType)
      .send(upstream.body);
    return;
  }
  reply
    .status(http.status)
    .headers(http.headers ?? {})
    .send(errorBody(format, http.status, http.message, http.code, http.details));
}
