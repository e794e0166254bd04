import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { isAnyArrayBuffer } from 'node:util/types';

/** A request body as undici's `request()` takes it. */
export type UndiciBody = string | Uint8Array | Readable | null;

/** A fetch call, in the form undici's `request()` takes. */
export interface UndiciRequest {
  url: URL;
  method: string;
  /** Flat name/value list, names in lower case. */
  headers: string[];
  body: UndiciBody;
  signal: AbortSignal | undefined;
  redirect: RequestRedirect;
  /** Whether a redirect led here. */
  redirected: boolean;
}

/** fetch upper-cases these methods and leaves any other as given. */
const NORMALIZED_METHODS = new Set(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT']);

/** Reads fetch's arguments as fetch does: `init` over the Request's own fields. */
export async function toUndiciRequest(
  input: string | URL | Request,
  init: RequestInit = {},
): Promise<UndiciRequest> {
  const source = typeof input === 'string' || 'href' in input ? undefined : input;
  const url = new URL(typeof input === 'string' ? input : 'href' in input ? input.href : input.url);
  if (url.username || url.password) {
    throw new TypeError('Request cannot be constructed from a URL that includes credentials');
  }
  const asked = init.method ?? source?.method ?? 'GET';
  const method = NORMALIZED_METHODS.has(asked.toUpperCase()) ? asked.toUpperCase() : asked;
  const headers = flattenHeaders(init.headers ?? source?.headers);
  const { body, contentType } = await toUndiciBody(
    init.body !== undefined ? init.body : (source?.body ?? null),
  );
  if (body !== null && (method === 'GET' || method === 'HEAD')) {
    throw new TypeError('Request with GET/HEAD method cannot have body.');
  }
  if (contentType) setDefault(headers, 'content-type', contentType);
  setDefault(headers, 'accept', '*/*');
  return {
    url,
    method,
    headers,
    body,
    signal: init.signal ?? source?.signal ?? undefined,
    redirect: init.redirect ?? source?.redirect ?? 'follow',
    redirected: false,
  };
}

/** Headers from a Headers object, a record or a list of pairs, as a flat lower-case list. */
export function flattenHeaders(init: HeadersInit | undefined): string[] {
  const flat: string[] = [];
  if (!init) return flat;
  if (Symbol.iterator in init) {
    for (const [name, value] of init as Iterable<[string, string]>) flat.push(name.toLowerCase(), `${value}`);
    return flat;
  }
  const record = init as Record<string, string | undefined>;
  for (const name of Object.keys(record)) {
    const value = record[name];
    if (value !== undefined) flat.push(name.toLowerCase(), `${value}`);
  }
  return flat;
}

/** Adds `name` unless the list already has it. */
function setDefault(headers: string[], name: string, value: string): void {
  for (let i = 0; i < headers.length; i += 2) if (headers[i] === name) return;
  headers.push(name, value);
}

/** A fetch body as undici takes it, with the content type fetch would give it. */
async function toUndiciBody(
  body: BodyInit | null,
): Promise<{ body: UndiciBody; contentType?: string | null }> {
  if (body === null) return { body: null };
  if (typeof body === 'string') return { body, contentType: 'text/plain;charset=UTF-8' };
  if (ArrayBuffer.isView(body)) {
    return { body: new Uint8Array(body.buffer, body.byteOffset, body.byteLength) };
  }
  if (isAnyArrayBuffer(body)) return { body: new Uint8Array(body) };
  const tag = Object.prototype.toString.call(body);
  if (tag === '[object URLSearchParams]') {
    return { body: body.toString(), contentType: 'application/x-www-form-urlencoded;charset=UTF-8' };
  }
  if (tag === '[object ReadableStream]') return { body: Readable.fromWeb(body as NodeReadableStream) };
  if (typeof body === 'object' && Symbol.asyncIterator in body) {
    return { body: Readable.from(body as AsyncIterable<Uint8Array>, { objectMode: false }) };
  }
  // Blob and FormData: fetch's own encoding (multipart boundary, blob type), read whole.
  const encoded = new Response(body);
  return {
    body: new Uint8Array(await encoded.arrayBuffer()),
    contentType: encoded.headers.get('content-type'),
  };
}

/** Whether the body can be read only once (a 307/308 redirect cannot send it again). */
export function isStreamBody(body: UndiciBody): boolean {
  return body instanceof Readable;
}
