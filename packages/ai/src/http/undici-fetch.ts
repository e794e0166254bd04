import type { Dispatcher } from 'undici';
import { decodeBody } from './decode-body.js';
import { requestFailed } from './fetch-errors.js';
import { redirectRequest } from './follow-redirect.js';
import { createKeepAliveAgent } from './keep-alive-agent.js';
import { discard, ResponseBody } from './response-body.js';
import { toUndiciRequest, type UndiciRequest } from './undici-request.js';
import { UndiciResponse } from './undici-response.js';

/** fetch's signature, as the SDKs' `fetch` option takes it. */
export type Fetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

export interface UndiciFetchOptions {
  /** Where requests go (default: a new keep-alive Agent, see `createKeepAliveAgent`). */
  dispatcher?: Dispatcher;
}

/** Statuses whose response has no body, for fetch. */
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

/**
 * A fetch built on undici's `request()`, for the SDKs' `fetch` option: it skips the
 * WHATWG streams, Request object and per-call signal plumbing of the global fetch while
 * giving the SDKs what they read from it (see UndiciResponse). Like fetch it follows
 * redirects, rejects with `TypeError('fetch failed')` (cause: the undici error) when the
 * connection fails, and with the signal's reason (an `AbortError`) when aborted, also
 * mid-body. Unlike fetch it sends no `accept-encoding`, so servers answer uncompressed.
 */
export function createUndiciFetch(options: UndiciFetchOptions = {}): Fetch {
  const dispatcher = options.dispatcher ?? createKeepAliveAgent();
  const undiciFetch = async (input: string | URL | Request, init?: RequestInit) => {
    let request = await toUndiciRequest(input, init);
    if (request.signal?.aborted) throw request.signal.reason;
    for (let redirects = 0; ; redirects++) {
      const response = await send(dispatcher, request);
      let next: UndiciRequest | undefined;
      try {
        next = redirectRequest(request, response.statusCode, first(response.headers.location), redirects);
      } catch (error) {
        discard(response.body);
        throw error;
      }
      if (!next) return toResponseOrDiscard(request, response);
      await response.body.dump();
      request = next;
    }
  };
  // UndiciResponse has every member of Response that the SDKs use (see the class); what
  // it lacks (body.getReader, clone) they do not call for requests we make.
  return undiciFetch as unknown as Fetch;
}

async function send(dispatcher: Dispatcher, request: UndiciRequest): Promise<Dispatcher.ResponseData> {
  try {
    return await dispatcher.request({
      origin: request.url.origin,
      path: request.url.pathname + request.url.search,
      method: request.method as Dispatcher.HttpMethod,
      headers: request.headers,
      body: request.body,
      signal: request.signal,
    });
  } catch (error) {
    throw requestFailed(error, request.signal);
  }
}

function toResponseOrDiscard(request: UndiciRequest, response: Dispatcher.ResponseData): UndiciResponse {
  try {
    return toResponse(request, response);
  } catch (error) {
    discard(response.body);
    throw new TypeError('fetch failed', { cause: error });
  }
}

function toResponse(request: UndiciRequest, response: Dispatcher.ResponseData): UndiciResponse {
  const headers = new Headers();
  for (const [name, value] of Object.entries(response.headers)) {
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else if (value !== undefined) headers.append(name, value);
  }
  let body: ResponseBody | null = null;
  if (request.method === 'HEAD' || NULL_BODY_STATUSES.has(response.statusCode)) {
    response.body.on('error', () => {}).resume();
  } else {
    const stream = decodeBody(response.body, headers.get('content-encoding'));
    body = new ResponseBody(stream, request.signal);
  }
  const { href, hash } = request.url;
  return new UndiciResponse(
    response.statusCode,
    response.statusText,
    headers,
    hash ? href.slice(0, -hash.length) : href,
    request.redirected,
    body,
  );
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
