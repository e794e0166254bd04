import type { AiService, MediaRequest, MediaResult } from '@aigw/ai';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { abortWhenClientGone } from '../../http/client-gone.js';
import { errorBody } from '../../http/error-format.js';
import { toHttpError } from '../../http/http-error.js';
import { setServedBy } from '../../http/served-by.js';
import { type SseOptions, sendStream } from '../../http/sse.js';
import type { Caller } from '../../keys/caller.js';
import { callerContext } from '../wire/caller-context.js';

/**
 * Makes a media call for the caller and sends the provider's answer as it came: its content
 * type and bytes, streamed (with backpressure) when they come in pieces. The client going
 * away cancels the call. `done` runs once the call is over (its row written), whatever happened.
 */
export async function callMedia(
  ai: AiService,
  media: Omit<MediaRequest, 'signal'>,
  caller: Caller,
  request: FastifyRequest,
  reply: FastifyReply,
  sse: SseOptions,
  done: () => Promise<void> | void = () => {},
): Promise<void> {
  const gone = abortWhenClientGone(reply);
  const finish = async () => {
    gone.release();
    await done();
  };
  let result: MediaResult;
  try {
    result = await ai.media({ ...media, signal: gone.signal }, callerContext(caller, request));
  } catch (error) {
    await finish();
    throw error;
  }
  result.outcome
    .catch((error: unknown) => request.log.error({ err: error }, 'media call: its outcome failed'))
    .finally(() =>
      finish().catch((error: unknown) => request.log.warn({ err: error }, 'media call: cleanup failed')),
    );
  try {
    setServedBy(reply, { provider: result.provider, model: result.model });
    if (result.streamed) {
      const events = result.contentType.startsWith('text/event-stream');
      const body = events ? withErrorEvent(result.body) : result.body;
      await sendStream(request, reply, body, sse, {
        'content-type': result.contentType,
        'cache-control': 'no-cache',
      });
      return;
    }
    const parts: Uint8Array[] = [];
    for await (const part of result.body) parts.push(part);
    reply.status(200).header('content-type', result.contentType).send(Buffer.concat(parts));
  } finally {
    // Read to its end or not, the body is closed: the call's row and budget never wait on it.
    await result.body[Symbol.asyncIterator]().return?.();
  }
}

/**
 * An event stream that, failing part-way, ends with an OpenAI error event (which the
 * OpenAI SDK throws as an APIError) instead of stopping as if it were whole.
 */
async function* withErrorEvent(body: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array | string> {
  try {
    yield* body;
  } catch (error) {
    const http = toHttpError(error);
    yield `data: ${JSON.stringify(errorBody('openai', http.status, http.message, http.code))}\n\n`;
  }
}

/** A JSON body's fields for the provider: all of them as sent, but `model` (the gateway resolves it). */
export function fieldsOf(body: unknown): Record<string, unknown> {
  const { model: _model, ...fields } = (body ?? {}) as Record<string, unknown>;
  return fields;
}
