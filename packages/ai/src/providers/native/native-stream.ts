import { createParser, type EventSourceMessage } from 'eventsource-parser';
import type { AIError, UpstreamReply } from '../../errors/ai-error.js';
import { UpstreamError } from '../../errors/errors.js';
import type { ChatStreamPart } from '../../types/chat-stream-part.js';
import type { WireFormat } from '../../types/native-body.js';
import type { CallSignal } from '../call-signal.js';
import { transportError } from './post-native.js';
import { secretBytes, withoutSecrets } from './without-secrets.js';

/** What a provider reads from each event of its own stream: parts for the gateway. */
export type NativeEventReader = (event: EventSourceMessage) => Iterable<ChatStreamPart>;

/**
 * A native-lane stream: the provider's bytes go on as `raw` parts, exactly as received
 * and in order, while `read` turns each complete SSE event into the parts the gateway
 * needs (start, deltas for estimates, finish with usage), each chunk's parts before its
 * bytes. Bytes are held back only until
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
  const cut = secretBytes(secrets);
  const decoder = new TextDecoder();
  let parts: ChatStreamPart[] = [];
  const parser = createParser({
    onEvent: (event) => {
      try {
        for (const part of read(event)) parts.push(part);
      } catch (error) {
        // An event of an unexpected shape is the provider's fault, not the connection's.
        throw new UpstreamError(
          `the provider sent an event the gateway could not read: ${(error as Error).message}`,
          {
            retryable: false,
          },
        );
      }
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
      const [start] = found.splice(startAt, 1);
      yield { ...(start as Extract<ChatStreamPart, { type: 'start' }>), native: true };
      yield* found;
      for (const data of held) yield { type: 'raw', data };
      held = undefined;
      yield { type: 'raw', data: chunk };
      continue;
    }
    // A chunk's parts before its bytes: what they settle (the usage row, a kept response)
    // is done before the caller reads the event that ends the stream.
    yield* found;
    yield { type: 'raw', data: chunk };
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

/** How a provider tells how its native stream ended, once its bytes have all passed. */
export interface NativeStreamEnding {
  provider: string;
  call: CallSignal;
  /** The failure the provider reported in the stream itself (the caller has its event already). */
  failure(): AIError | undefined;
  /** The last part, for a stream that completed (a reader that finishes at the end); undefined when cut. */
  last(): ChatStreamPart | undefined | 'already-finished';
  /** What a stream cut before its end is called. */
  cutMessage: string;
}

/**
 * A native stream's parts as they come, then how it ended, the same for every provider:
 * the call's own cancel or timeout, a failure the provider reported in-band, a stream cut
 * before its end, or its last part. Any failure to read is classified by `transportError`.
 */
export async function* endNativeStream(
  parts: AsyncIterable<ChatStreamPart>,
  ending: NativeStreamEnding,
): AsyncGenerator<ChatStreamPart> {
  const { provider, call } = ending;
  try {
    yield* parts;
  } catch (error) {
    throw transportError(error, provider, call);
  }
  if (call.aborted || call.timedOut) throw transportError(undefined, provider, call);
  const failure = ending.failure();
  if (failure) throw failure;
  const last = ending.last();
  if (last === undefined) throw new UpstreamError(`${provider}: ${ending.cutMessage}`, { provider });
  if (last !== 'already-finished') yield last;
}

/** An error event the provider sent inside its 200 stream: the caller already got it in-band. */
export function inBandReply(format: WireFormat, body: string): UpstreamReply {
  return { format, status: 200, contentType: 'text/event-stream', body };
}
