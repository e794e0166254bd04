import type { ResponseBody } from './response-body.js';

/**
 * What fetch's Response offers, over an undici response: status, headers (a real
 * `Headers`), url, the body readers, and `body` as an async-iterable (see ResponseBody).
 * Not a WHATWG stream: `body.getReader()` and `clone()` are missing.
 */
export class UndiciResponse {
  readonly ok: boolean;
  readonly type = 'basic';

  constructor(
    readonly status: number,
    readonly statusText: string,
    readonly headers: Headers,
    readonly url: string,
    readonly redirected: boolean,
    readonly body: ResponseBody | null,
  ) {
    this.ok = status >= 200 && status <= 299;
  }

  get bodyUsed(): boolean {
    return this.body?.bodyUsed ?? false;
  }

  async text(): Promise<string> {
    const text = (await this.read()).toString('utf8');
    // UTF-8 decode, as fetch does: a leading BOM is dropped.
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  }

  async json(): Promise<unknown> {
    return JSON.parse(await this.text());
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    return new Uint8Array(await this.read()).buffer;
  }

  async bytes(): Promise<Uint8Array<ArrayBuffer>> {
    return new Uint8Array(await this.read());
  }

  async blob(): Promise<Blob> {
    return new Blob([await this.bytes()], { type: this.headers.get('content-type') ?? '' });
  }

  async formData(): Promise<FormData> {
    return new Response(await this.bytes(), { headers: this.headers }).formData();
  }

  clone(): never {
    throw new TypeError('clone() is not supported by the undici transport');
  }

  private read(): Promise<Buffer> {
    return this.body ? this.body.bytes() : Promise.resolve(Buffer.alloc(0));
  }
}
