import type { Dispatcher, FormData } from 'undici';
import { AIError, cutSecrets, scrubSecrets } from '../../errors/ai-error.js';
import { errorFromStatus } from '../../errors/error-from-status.js';
import { AbortedError, ConnectionError, TimeoutError, UpstreamError } from '../../errors/errors.js';
import { decodeBody } from '../../http/decode-body.js';
import { sharedAgent } from '../../http/shared-fetch.js';
import type { NativeReply, WireFormat } from '../../types/native-body.js';
import type { TokenCountResult } from '../../types/token-count.js';
import type { CallSignal } from '../call-signal.js';
import { secretBytes, withoutSecrets } from './without-secrets.js';

/** A native-lane request to a provider. */
export interface NativePost {
  /** The provider's registry name, for messages. */
  provider: string;
  format: WireFormat;
  url: string;
  /** The gateway's credentials, the provider's own headers and the caller's forwarded ones. */
  headers: Record<string, string>;
  /** The JSON text to send, or a multipart form (its files sent from where they are). */
  body: string | FormData;
  call: CallSignal;
  /** Values cut from any error text (the provider key). */
  secrets: (string | undefined)[];
}

/** A provider's answer to a native-lane request, as undici gives it. */
export interface NativeResponse {
  status: number;
  /** Header names in lower case. */
  headers: Record<string, string | string[] | undefined>;
  /** The body, its `content-encoding` undone. */
  body: AsyncIterable<Uint8Array>;
}

/**
 * Sends a native-lane request over the shared keep-alive pool with undici's `request()`
 * (no SDK, and no fetch objects: the body is the caller's, the answer goes back as
 * bytes). Resolves with the response when the provider accepted the call (2xx); else
 * throws an AIError classified from the status as every provider's errors are, carrying
 * the provider's error body for a caller in the same format.
 */
export async function postNative(post: NativePost): Promise<NativeResponse> {
  const url = new URL(post.url);
  let response: Dispatcher.ResponseData;
  try {
    response = await sharedAgent.request({
      origin: url.origin,
      path: url.pathname + url.search,
      method: 'POST',
      headers: post.headers,
      body: post.body,
      signal: post.call.signal,
    });
  } catch (error) {
    throw transportError(error, post.provider, post.call);
  }
  const headers = response.headers;
  const body = decodeBody(response.body, headerValue(headers['content-encoding']) ?? null);
  if (response.statusCode >= 200 && response.statusCode < 300) {
    return { status: response.statusCode, headers, body };
  }
  let text: string;
  try {
    text = scrubSecrets(cutSecrets((await readAll(body)).toString('utf8'), post.secrets));
  } catch (error) {
    throw transportError(error, post.provider, post.call);
  }
  const { message, code } = readErrorBody(text);
  throw errorFromStatus({
    provider: post.provider,
    status: response.statusCode,
    message: message ?? text.slice(0, 500),
    headers: {
      'retry-after': headerValue(headers['retry-after']),
      'retry-after-ms': headerValue(headers['retry-after-ms']),
    },
    upstreamCode: code,
    upstreamReply: {
      format: post.format,
      status: response.statusCode,
      contentType: headerValue(headers['content-type']) ?? 'application/json',
      body: text,
    },
  });
}

/** One value of a header (the first, when it came several times). */
export function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

async function readAll(body: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of body) parts.push(chunk as Buffer);
  return parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts);
}

/** A failure to send or to read: the call's timeout, the caller's cancel, or the connection. */
export function transportError(error: unknown, provider: string, call: CallSignal) {
  if (call.timedOut) return new TimeoutError(`${provider}: the call timed out`, { provider });
  if (call.aborted) return new AbortedError(`${provider}: the call was cancelled`, { provider });
  if (error instanceof AIError) return error;
  const cause = (error as { cause?: { message?: string } })?.cause?.message ?? (error as Error)?.message;
  return new ConnectionError(
    `${provider}: could not reach the provider (${scrubSecrets(cause ?? 'connection error')})`,
    { provider },
  );
}

/**
 * The message and type or code of an error body in either family's format: Anthropic's
 * `{ type: 'error', error: { type, message } }`, OpenAI's `{ error: { message, type, code } }`.
 */
export function readErrorBody(text: string): { message?: string; code?: string } {
  try {
    const parsed = JSON.parse(text) as {
      error?: { message?: unknown; type?: unknown; code?: unknown } | string;
      message?: unknown;
    };
    const inner = typeof parsed.error === 'object' && parsed.error !== null ? parsed.error : undefined;
    const message = inner?.message ?? parsed.message ?? parsed.error;
    const code = inner?.code ?? inner?.type;
    return {
      ...(typeof message === 'string' ? { message } : {}),
      ...(typeof code === 'string' ? { code } : {}),
    };
  } catch {
    return {};
  }
}

/** A native call's JSON answer: parsed (for usage and the rest), and as the provider sent it. */
export async function readNativeJson(
  response: NativeResponse,
  provider: string,
  call: CallSignal,
  secrets: readonly (string | undefined)[],
): Promise<{ json: unknown; reply: NativeReply }> {
  let body: Buffer;
  try {
    const bytes = await readAll(response.body);
    const cut = secretBytes(secrets);
    body = cut.length ? Buffer.from(withoutSecrets(bytes, cut)) : bytes;
  } catch (error) {
    throw transportError(error, provider, call);
  }
  try {
    return {
      json: JSON.parse(body.toString('utf8')),
      reply: {
        status: response.status,
        contentType: headerValue(response.headers['content-type']) ?? 'application/json',
        body,
      },
    };
  } catch {
    // Answered and paid for: sending it again (or elsewhere) would only pay twice.
    throw new UpstreamError(`${provider}: the answer was not JSON`, { provider, retryable: false });
  }
}

/** A count endpoint's answer (`{ input_tokens }`) as our TokenCountResult, with the reply as sent. */
export async function readNativeTokenCount(
  response: NativeResponse,
  target: { provider: string; apiKey: string | undefined },
  model: string,
  call: CallSignal,
): Promise<TokenCountResult> {
  const { json, reply } = await readNativeJson(response, target.provider, call, [target.apiKey]);
  const inputTokens = (json as { input_tokens?: unknown }).input_tokens;
  if (typeof inputTokens !== 'number') {
    throw new UpstreamError(`${target.provider}: the token count had no input_tokens`, {
      provider: target.provider,
    });
  }
  return { provider: target.provider, model, inputTokens, source: 'reported', native: reply };
}
