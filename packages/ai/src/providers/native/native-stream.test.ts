import { describe, expect, it } from '@jest/globals';
import { UpstreamError } from '../../errors/errors.js';
import type { ChatStreamPart } from '../../types/chat-stream-part.js';
import { eventJson, nativeStream } from './native-stream.js';

async function* chunks(...texts: string[]): AsyncGenerator<Uint8Array> {
  for (const text of texts) yield Buffer.from(text);
}
const collect = async (parts: AsyncIterable<ChatStreamPart>) => {
  const out: ChatStreamPart[] = [];
  for await (const part of parts) out.push(part);
  return out;
};
/** Reads `{"start":true}` as the start, anything else as a text delta of its `t`. */
const read = (event: { data: string }): ChatStreamPart[] => {
  const data = eventJson(event.data);
  if (!data) return [];
  return data.start
    ? [{ type: 'start', model: 'm', id: 'x' }]
    : [{ type: 'text-delta', delta: String(data.t) }];
};
const fallback = { type: 'start' as const, model: 'fallback' };

describe('nativeStream', () => {
  it('holds bytes back until the start part, even when the start event spans chunks', async () => {
    const parts = await collect(
      nativeStream(chunks('data: {"sta', 'rt":true}\n\ndata: {"t":"a"}\n\n'), read, fallback),
    );
    expect(parts).toEqual([
      { type: 'start', model: 'm', id: 'x', native: true },
      { type: 'text-delta', delta: 'a' },
      { type: 'raw', data: Buffer.from('data: {"sta') },
      { type: 'raw', data: Buffer.from('rt":true}\n\ndata: {"t":"a"}\n\n') },
    ]);
  });

  it('decodes a character split across chunks once, whole', async () => {
    const text = Buffer.from('data: {"start":true}\n\ndata: {"t":"é🚧"}\n\n');
    const cutAt = text.indexOf(Buffer.from('🚧')) + 2;
    async function* split() {
      yield text.subarray(0, cutAt);
      yield text.subarray(cutAt);
    }
    const parts = await collect(nativeStream(split(), read, fallback));
    expect(parts.filter((p) => p.type === 'text-delta')).toEqual([{ type: 'text-delta', delta: 'é🚧' }]);
  });

  it('gives a stream that never says who answers the fallback start, then its bytes', async () => {
    const parts = await collect(nativeStream(chunks(': keep-alive\n\n'), read, fallback));
    expect(parts).toEqual([
      { type: 'start', model: 'fallback', native: true },
      { type: 'raw', data: Buffer.from(': keep-alive\n\n') },
    ]);
  });

  it('cuts a secret out of the bytes it passes on, and nothing else', async () => {
    const secret = 'sk-test-SECRETSECRET';
    const parts = await collect(
      nativeStream(
        chunks(`data: {"start":true}\n\ndata: {"t":"${secret} and ${secret}"}\n\n`),
        read,
        fallback,
        [secret],
      ),
    );
    const bytes = Buffer.concat(
      parts.flatMap((p) => (p.type === 'raw' ? [Buffer.from(p.data)] : [])),
    ).toString();
    expect(bytes).toBe('data: {"start":true}\n\ndata: {"t":"[redacted] and [redacted]"}\n\n');
  });
});

describe('nativeStream, an event it cannot read', () => {
  it('fails as the upstream, not as the connection', async () => {
    const error = await collect(
      nativeStream(
        chunks('data: {"start":true}\n\ndata: {"t":"a"}\n\n'),
        () => {
          throw new TypeError("Cannot read properties of undefined (reading 'type')");
        },
        fallback,
      ),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamError);
    expect((error as UpstreamError).retryable).toBe(false);
  });
});
