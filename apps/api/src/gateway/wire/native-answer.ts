import { AIError, type ChatStreamPart, type NativeReply } from '@aigw/ai';
import type { FastifyReply } from 'fastify';

/** Sends a provider's own answer (the native lane) as it came: status, content type and bytes. */
export function sendNativeReply(reply: FastifyReply, native: NativeReply): void {
  reply.status(native.status).header('content-type', native.contentType).send(native.body);
}

/**
 * A native stream's bytes as the provider sent them. A failure the provider did not
 * report in the stream itself (a cut connection, a timeout) is added in the caller's
 * format by `errorEvent`; one it did report already reached the caller in its own words.
 */
export async function* nativeStreamBytes(
  parts: AsyncIterable<ChatStreamPart>,
  errorEvent: (error: unknown) => string,
): AsyncIterable<Uint8Array | string> {
  try {
    for await (const part of parts) if (part.type === 'raw') yield part.data;
  } catch (error) {
    if (!(error instanceof AIError && error.details.upstreamReply)) yield errorEvent(error);
  }
}
