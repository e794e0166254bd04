import { AIError } from '@aigw/ai';
import { HttpException } from '@nestjs/common';
import { DatabaseUnavailableError, isDatabaseUnreachable } from '../database/database-unreachable.js';
import { rateLimitHeaders } from './rate-limit-headers.js';
import { RequestValidationError } from './zod-validation.js';

/** An error as the HTTP API reports it. */
export interface HttpError {
  status: number;
  message: string;
  code: string | null;
  headers?: Record<string, string>;
  /** More of the error, beside message/type/code in the body (the budget a call would pass). */
  details?: Record<string, unknown>;
}

/** What a caller is told to wait while the database is unreachable. */
const DATABASE_RETRY_AFTER_S = 5;

/** Where an upstream failure of each kind leaves our caller. */
const AI_STATUS: Record<AIError['code'], number> = {
  authentication: 502, // the gateway's provider key was refused: not the caller's fault
  bad_request: 400,
  model_not_found: 404,
  rate_limited: 429,
  timeout: 504,
  aborted: 499,
  upstream_error: 502,
  connection_error: 503,
  budget_exceeded: 402,
  model_not_allowed: 403,
};

/** Maps anything thrown while serving a request to a status, a message and a code. */
export function toHttpError(error: unknown): HttpError {
  if (error instanceof RequestValidationError) {
    return { status: 400, message: `Invalid request: ${error.message}`, code: 'invalid_request' };
  }
  if (error instanceof AIError) {
    // An upstream 503/504 (or our own "every target paused") keeps its status; other upstream failures are 502.
    const passThrough = error.code === 'upstream_error' && (error.status === 503 || error.status === 504);
    const status = passThrough ? (error.status as number) : AI_STATUS[error.code];
    const headers: Record<string, string> = {};
    if (error.details.retryAfterMs !== undefined)
      headers['retry-after'] = String(Math.ceil(error.details.retryAfterMs / 1000));
    const message =
      error.code === 'authentication'
        ? `${error.details.provider ?? 'The provider'} refused the gateway's credentials; an admin must fix the provider key.`
        : error.message;
    Object.assign(headers, refusalRateLimitHeaders(error));
    const details = error.details.budget
      ? { budget: error.details.budget }
      : error.details.allowedModels
        ? { allowed_models: error.details.allowedModels }
        : undefined;
    return { status, message, code: error.code, headers, ...(details ? { details } : {}) };
  }
  if (error instanceof HttpException) {
    const response = error.getResponse();
    const message =
      typeof response === 'string'
        ? response
        : Array.isArray((response as { message?: unknown }).message)
          ? (response as { message: string[] }).message.join('; ')
          : String((response as { message?: unknown }).message ?? error.message);
    return { status: error.getStatus(), message, code: codeForStatus(error.getStatus()) };
  }
  if (error instanceof DatabaseUnavailableError || isDatabaseUnreachable(error)) {
    return {
      status: 503,
      message:
        error instanceof DatabaseUnavailableError
          ? error.message
          : 'The database is unreachable, so this request cannot be served now; retry in a few seconds.',
      code: 'database_unavailable',
      headers: { 'retry-after': String(DATABASE_RETRY_AFTER_S) },
    };
  }
  // Fastify's own errors: malformed JSON, body too large, unsupported content type.
  const fastify = error as { statusCode?: number; code?: string; message?: string };
  if (typeof fastify?.statusCode === 'number' && fastify.statusCode < 500) {
    return {
      status: fastify.statusCode,
      message: fastifyMessage(fastify),
      code: codeForStatus(fastify.statusCode),
    };
  }
  return {
    status: 500,
    message: 'Internal error; the request id in the x-request-id header helps find it in the logs.',
    code: 'internal_error',
  };
}

function fastifyMessage(error: { statusCode?: number; code?: string; message?: string }): string {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return 'Request body is too large.';
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return 'Send the body as JSON with Content-Type: application/json.';
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return 'A path parameter of this URL is too long.';
    case 'FST_ERR_BAD_URL':
      return 'The URL is malformed.';
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return 'The request body is empty; send a JSON object.';
    default:
      return error.statusCode === 400 && /JSON/i.test(error.message ?? '')
        ? `The request body is not valid JSON: ${error.message}`
        : (error.message ?? 'Bad request');
  }
}

function codeForStatus(status: number): string {
  return (
    {
      400: 'invalid_request',
      401: 'invalid_api_key',
      403: 'forbidden',
      404: 'not_found',
      409: 'conflict',
      405: 'method_not_allowed',
      413: 'request_too_large',
      414: 'uri_too_long',
      415: 'unsupported_media_type',
      429: 'rate_limited',
    }[status] ?? (status >= 500 ? 'internal_error' : 'invalid_request')
  );
}

/** OpenAI's `x-ratelimit-*` headers for a refusal by a caller's own rpm or tpm limit. */
function refusalRateLimitHeaders(error: AIError): Record<string, string> {
  const limit = error.details.limit;
  if (!limit || limit.value === undefined || (limit.kind !== 'rpm' && limit.kind !== 'tpm')) return {};
  return rateLimitHeaders(limit.kind === 'rpm' ? 'requests' : 'tokens', {
    limit: limit.value,
    remaining: limit.remaining ?? 0,
    resetMs: error.details.retryAfterMs ?? 1000,
  });
}
