import { isStreamBody, type UndiciRequest } from './undici-request.js';

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 20;
/** Dropped when a redirect turns the request into a GET. */
const BODY_HEADERS = new Set(['content-encoding', 'content-language', 'content-location', 'content-type']);
/** Dropped when a redirect leaves the origin. */
const CREDENTIAL_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie']);

/**
 * The request fetch would send after this response, or undefined when fetch would hand
 * the response back (not a redirect, no Location, or `redirect: 'manual'`). Throws what
 * fetch throws for `redirect: 'error'`, too many redirects, or a body it cannot resend.
 */
export function redirectRequest(
  request: UndiciRequest,
  status: number,
  location: string | undefined,
  redirects: number,
): UndiciRequest | undefined {
  if (!REDIRECT_STATUSES.has(status) || location === undefined || request.redirect === 'manual') {
    return undefined;
  }
  if (request.redirect === 'error') throw fetchFailed('unexpected redirect');
  if (redirects >= MAX_REDIRECTS) throw fetchFailed('redirect count exceeded');
  let url: URL;
  try {
    url = new URL(location, request.url);
  } catch (error) {
    throw new TypeError('fetch failed', { cause: error });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw fetchFailed('URL scheme must be a HTTP(S) scheme');
  }
  const toGet =
    (status === 303 && request.method !== 'GET' && request.method !== 'HEAD') ||
    ((status === 301 || status === 302) && request.method === 'POST');
  if (!toGet && isStreamBody(request.body)) throw fetchFailed('a stream body cannot be sent again');
  let headers = request.headers;
  if (toGet) headers = without(headers, BODY_HEADERS);
  if (url.origin !== request.url.origin) headers = without(headers, CREDENTIAL_HEADERS);
  return {
    ...request,
    url,
    headers,
    method: toGet ? 'GET' : request.method,
    body: toGet ? null : request.body,
    redirected: true,
  };
}

function without(headers: string[], names: Set<string>): string[] {
  const kept: string[] = [];
  for (let i = 0; i < headers.length; i += 2) {
    const name = headers[i] as string;
    if (!names.has(name)) kept.push(name, headers[i + 1] as string);
  }
  return kept;
}

function fetchFailed(reason: string): TypeError {
  return new TypeError('fetch failed', { cause: new Error(reason) });
}
