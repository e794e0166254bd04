import { createParser, type EventSourceMessage } from 'eventsource-parser';
import type { ChatStreamPart } from '../../types/chat-stream-part.js';

/** What a provider reads from each event of its own stream: parts for the gateway. */
export type NativeEventReader = (event: EventSourceMessage) => Iterable<ChatStreamPart>;

/**
 * A native-lane stream: the provider's bytes go on as `raw` parts, exactly as received
 * and in order, while `read` turns each complete SSE event into the parts the gateway
 * needs (start, deltas for estimates, finish with usage). Bytes are held back only until
 * the reader's `start` part (so a caller learns the model before the first byte); a
 * stream that never says who answers gets `fallbackStart` before its bytes. The one
 * change made to the bytes: a secret (the provider key) echoed in them is cut out.
 */
export async function* nativeStream(
  body: AsyncIterable<Uint8Array> | null,
  read: NativeEventReader,
  fallbackStart: Extract<ChatStreamPart, { type: 'start' }>,
  secrets: (string | undefined)[] = [],
): AsyncGenerator<ChatStreamPart> {
  const cut = secrets.filter((s): s is string => !!s && s.length >= 8).map((s) => Buffer.from(s));
  const decoder = new TextDecoder();
  let parts: ChatStreamPart[] = [];
  const parser = createParser({
    onEvent: (event) => {
      for (const part of read(event)) parts.push(part);
    },
  });
  let held: Uint8Array[] | undefined = [];
  for await (const received of body ?? []) {
    const chunk = cut.length ? withoutSecrets(received, cut) : received;
    parser.feed(decoder.decode(chunk, { stream: true }));
    const found = parts;
    parts = [];
    if (held) {
      const startAt = found.findIndex((p) => p.type === 'start');
      if (startAt < 0) {
        held.push(chunk);
        continue;
      }
      yield { ...(found[startAt] as Extract<ChatStreamPart, { type: 'start' }>), native: true };
      found.splice(startAt, 1);
      for (const data of held) yield { type: 'raw', data };
      held = undefined;
    }
    yield { type: 'raw', data: chunk };
    yield* found;
  }
  if (held) {
    yield { ...fallbackStart, native: true };
    for (const data of held) yield { type: 'raw', data };
  }
}

/** An event's data as a JSON object; undefined when it is not one (`[DONE]`, a keep-alive). */
export function eventJson(data: string): Record<string, unknown> | undefined {
  if (data === '' || data === '[DONE]') return undefined;
  try {
    const value = JSON.parse(data) as unknown;
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const REDACTED = Buffer.from('[redacted]');

/** The bytes with every occurrence of each secret replaced (the same bytes when there is none). */
function withoutSecrets(chunk: Uint8Array, secrets: Buffer[]): Uint8Array {
  let bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  for (const secret of secrets) {
    let at = bytes.indexOf(secret);
    if (at < 0) continue;
    const parts: Buffer[] = [];
    let from = 0;
    while (at >= 0) {
      parts.push(bytes.subarray(from, at), REDACTED);
      from = at + secret.length;
      at = bytes.indexOf(secret, from);
    }
    parts.push(bytes.subarray(from));
    bytes = Buffer.concat(parts);
  }
  return bytes;
}
