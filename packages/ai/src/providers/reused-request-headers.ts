/** What the SDKs' `buildRequest` reads of a call's options (openai and @anthropic-ai/sdk agree). */
export interface SdkRequestOptions {
  method: string;
  path: string;
  query?: unknown;
  body?: unknown;
  headers?: unknown;
  timeout?: number;
  signal?: AbortSignal | null;
  fetchOptions?: unknown;
  idempotencyKey?: string;
  defaultBaseURL?: string;
}

/** What `buildRequest` gives back: the fetch init, its URL and the call's timeout. */
export interface SdkBuiltRequest {
  req: RequestInit;
  url: string;
  timeout: number;
}

/** The parts of an SDK client that a reused request needs. */
export interface SdkClient {
  timeout: number;
  buildURL(path: string, query: Record<string, unknown> | null | undefined, defaultBaseURL?: string): string;
}

/** An SDK client's `buildRequest` (public in both SDKs: it is how they turn options into a fetch). */
type BuildRequest = (options: never, meta?: { retryCount?: number }) => Promise<unknown>;

/**
 * Makes `client` reuse its request headers (see ReusedRequestHeaders). The client stays
 * the SDK's own class, so its user agent and everything else it sends are unchanged.
 * `staticAuth`: its credentials are a fixed key, not a token that may rotate.
 */
export function reuseRequestHeaders<C extends SdkClient & { buildRequest: BuildRequest }>(
  client: C,
  staticAuth: boolean,
): C {
  // Credentials that may rotate end up in the headers: every call is then the SDK's to build.
  if (!staticAuth) return client;
  const reused = new ReusedRequestHeaders();
  const sdkBuild = client.buildRequest.bind(client) as (
    options: SdkRequestOptions,
    meta?: { retryCount?: number },
  ) => Promise<SdkBuiltRequest>;
  const build = (options: SdkRequestOptions, meta?: { retryCount?: number }) =>
    reused.build(client, options, meta?.retryCount ?? 0, () => sdkBuild(options, meta));
  client.buildRequest = build as unknown as C['buildRequest'];
  return client;
}

/**
 * The official SDKs build every request's headers from scratch: a dozen validated
 * appends and deletes on a WHATWG `Headers` (user agent, platform, auth, defaults,
 * content type), which our transport then reads back out. In a CPU profile of the
 * gateway that is the SDK's largest cost per call. For a client whose headers cannot
 * change between calls (a fixed key, no per-call headers, no idempotency key), the
 * headers the SDK built for the first call of a kind (method and retry count) are kept
 * and copied for the next ones, with the body encoded as the SDK encodes JSON. Anything
 * else (a query, per-call headers, timeout or fetch options, a non-JSON body) goes
 * through the SDK's own `buildRequest`, as does every first call.
 */
export class ReusedRequestHeaders {
  private readonly kept = new Map<string, Record<string, string>>();

  async build<T extends SdkBuiltRequest>(
    client: SdkClient,
    options: SdkRequestOptions,
    retryCount: number,
    sdkBuild: () => Promise<T>,
  ): Promise<T> {
    const key = this.reusable(options) ? `${options.method} ${retryCount}` : undefined;
    const headers = key === undefined ? undefined : this.kept.get(key);
    if (!headers) {
      const built = await sdkBuild();
      if (key !== undefined && built.req.headers instanceof Headers) {
        const kept: Record<string, string> = {};
        built.req.headers.forEach((value, name) => {
          kept[name] = value;
        });
        this.kept.set(key, kept);
      }
      return built;
    }
    const req: RequestInit = {
      method: options.method,
      headers: { ...headers },
      body: JSON.stringify(options.body),
    };
    if (options.signal) req.signal = options.signal;
    return {
      req,
      url: client.buildURL(options.path, undefined, options.defaultBaseURL),
      timeout: client.timeout,
    } as T;
  }

  private reusable(options: SdkRequestOptions): boolean {
    return (
      options.headers === undefined &&
      options.query === undefined &&
      !('timeout' in options) &&
      options.fetchOptions === undefined &&
      options.idempotencyKey === undefined &&
      isJsonObject(options.body)
    );
  }
}

/** A plain object or array: what the SDKs send as JSON (not bytes, a stream or a form). */
function isJsonObject(body: unknown): boolean {
  if (typeof body !== 'object' || body === null) return false;
  const proto = Object.getPrototypeOf(body);
  return proto === Object.prototype || proto === null || Array.isArray(body);
}
