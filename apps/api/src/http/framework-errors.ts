import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { errorBody } from './error-format.js';
import { sendError } from './gateway-exception.filter.js';

/**
 * Fastify's `frameworkErrors`: a malformed URL or an over-long path parameter (414), which
 * Fastify answers before any route runs, answered like every other error, in the route's
 * format (OpenAI's or Anthropic's).
 */
export function frameworkErrors(error: Error, request: FastifyRequest, reply: FastifyReply): void {
  sendError(request, reply, error);
}

/**
 * Fastify's `clientErrorHandler`: a request Node's HTTP parser refused (headers or request
 * line too large, malformed HTTP) gets an OpenAI-format error body, as the route is unknown.
 */
export function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const status =
    error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  const message =
    status === 431
      ? 'The request line and headers are too large (the URL is too long, or a header is).'
      : status === 408
        ? 'The request took too long to arrive.'
        : 'The request is not valid HTTP.';
  const body = JSON.stringify(
    errorBody('openai', status, message, status === 431 ? 'request_header_too_large' : 'bad_http'),
  );
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\ncontent-type: application/json; charset=utf-8\r\n` +
      `content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}
