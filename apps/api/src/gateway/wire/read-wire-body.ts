import { forwardedHeaders, type NativeBody, type WireFormat } from '@aigw/ai';
import type { FastifyRequest } from 'fastify';
import { RequestValidationError } from '../../http/zod-validation.js';

/** What the gateway itself reads of a body in a provider's wire format. */
export interface WireBody {
  /** The body as received. */
  body: Record<string, unknown>;
  model: string;
  stream: boolean;
}

/**
 * Checks only what the gateway needs of a body before it knows where the call goes: a
 * JSON object naming a model. A provider that speaks the format judges the rest (its
 * error reaches the caller as it sent it); a call that must be translated is checked
 * whole by the format's schema first.
 */
export function readWireBody(body: unknown): WireBody {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw new RequestValidationError(['the request body must be a JSON object']);
  }
  const record = body as Record<string, unknown>;
  const model = record.model;
  if (model === undefined) throw new RequestValidationError(['model: is required']);
  if (typeof model !== 'string') throw new RequestValidationError(['model: must be a string']);
  if (!model) {
    throw new RequestValidationError([
      'model: must name a model: an alias, a model id from GET /v1/models, or provider/model',
    ]);
  }
  return { body: record, model, stream: record.stream === true };
}

/** A positive integer field of the body, else undefined. */
export function positiveInt(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : undefined;
}

/** The caller's request as the native lane sends it: its body, the headers it forwards, its query string. */
export function nativeBodyOf(
  format: WireFormat,
  body: Record<string, unknown>,
  request: FastifyRequest,
): NativeBody {
  const query = request.url.split('?')[1];
  return { format, body, headers: forwardedHeaders(format, request.headers), ...(query ? { query } : {}) };
}
