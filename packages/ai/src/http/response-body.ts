import type { Readable } from 'node:stream';
import { bodyFailed } from './fetch-errors.js';

/**
 * A response body read from a Node stream: async-iterable like Node's ReadableStream,
 * which is all the SDKs' stream readers need (they iterate `response.body` when it has
 * `Symbol.asyncIterator`). Read once; errors are fetch's (see `bodyFailed`).
 */
export class ResponseBody implements AsyncIterable<Uint8Array> {
  private used = false;

  constructor(
    private readonly stream: Readable,
    private readonly signal: AbortSignal | undefined,
  ) {}

  get bodyUsed(): boolean {
    return this.used;
  }

  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    const chunks: AsyncIterator<Buffer> = this.take()[Symbol.asyncIterator]();
    const signal = this.signal;
    return {
      next: () =>
        chunks.next().catch((error: unknown) => {
          throw bodyFailed(error, signal);
        }),
      // Like cancelling a ReadableStream: frees the socket even if reading never began.
      return: async () => {
        discard(this.stream);
        return { done: true, value: undefined };
      },
    };
  }

  /** The whole body. */
  async bytes(): Promise<Buffer> {
    const parts: Buffer[] = [];
    const stream = this.take();
    try {
      for await (const chunk of stream) parts.push(chunk as Buffer);
    } catch (error) {
      throw bodyFailed(error, this.signal);
    }
    return parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts);
  }

  private take(): Readable {
    if (this.used) throw new TypeError('Body is unusable: Body has already been read');
    this.used = true;
    return this.stream;
  }
}

/** Destroys a body stream; undici reports that as an error, which nobody needs to hear. */
export function discard(stream: Readable): void {
  stream.on('error', () => {});
  stream.destroy();
}
