import type { AiService, MediaRequest, MediaResult } from '@aigw/ai';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { abortWhenClientGone } from '../../http/client-gone.js';
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
  void result.outcome.then(finish);
  setServedBy(reply, { provider: result.provider, model: result.model });
  if (result.streamed) {
    await sendStream(request, reply, result.body, sse, {
      'content-type': result.contentType,
      'cache-control': 'no-cache',
    });
    return;
  }
  const parts: Uint8Array[] = [];
  for await (const part of result.body) parts.push(part);
  reply.status(200).header('content-type', result.contentType).send(Buffer.concat(parts));
}

/** A JSON body's fields for the provider: all of them as sent, but `model` (the gateway resolves it). */
export function fieldsOf(body: unknown): Record<string, unknown> {
  const { model: _model, ...fields } = (body ?? {}) as Record<string, unknown>;
  return fields;
}
