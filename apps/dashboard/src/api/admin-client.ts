/** An answer of the admin API other than 2xx, or no answer at all (status 0). */
export class AdminApiError extends Error {
  override readonly name = 'AdminApiError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

type Params = Record<string, string | number | undefined | null>;

/** A query string from the defined params (in the order given). */
export function queryString(params: Params = {}): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(name, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

/**
 * The page's only way to data: the admin API on this origin, with the admin key as a
 * bearer token. A 401 is reported to `onUnauthorized` (the page then asks for the key
 * again) before it is thrown.
 */
export class AdminClient {
  constructor(
    private readonly adminKey: string,
    private readonly onUnauthorized: (message: string) => void = () => {},
  ) {}

  get<T>(path: string, params?: Params, signal?: AbortSignal): Promise<T> {
    return this.json<T>('GET', `${path}${queryString(params)}`, undefined, signal);
  }

  post<T>(path: string, body: unknown): Promise<T> {
    return this.json<T>('POST', path, body);
  }

  patch<T>(path: string, body: unknown): Promise<T> {
    return this.json<T>('PATCH', path, body);
  }

  delete<T>(path: string): Promise<T> {
    return this.json<T>('DELETE', path);
  }

  /** A file the API makes (the summary as CSV), with the name it suggests. */
  async download(path: string, params: Params): Promise<{ blob: Blob; fileName: string }> {
    const res = await this.send('GET', `${path}${queryString(params)}`);
    const disposition = res.headers.get('content-disposition') ?? '';
    const fileName = /filename="([^"]+)"/.exec(disposition)?.[1] ?? 'aigw-usage.csv';
    return { blob: await res.blob(), fileName };
  }

  private async json<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
    const res = await this.send(method, path, body, signal);
    return (await res.json()) as T;
  }

  private async send(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<Response> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.adminKey}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await fetch(path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal,
        cache: 'no-store',
      });
    } catch (error) {
      if ((error as Error).name === 'AbortError') throw error;
      throw new AdminApiError(0, `Could not reach the gateway (${(error as Error).message}). Is it running?`);
    }
    if (res.ok) return res;
    const message = await errorMessage(res);
    if (res.status === 401) this.onUnauthorized(message);
    throw new AdminApiError(res.status, message);
  }
}

/** The message of an error body (the admin API answers in OpenAI's error format). */
async function errorMessage(res: Response): Promise<string> {
  try {
    const body = (await res.json()) as { error?: { message?: string }; message?: string };
    return body.error?.message ?? body.message ?? `${res.status} ${res.statusText}`;
  } catch {
    return `${res.status} ${res.statusText}`;
  }
}
