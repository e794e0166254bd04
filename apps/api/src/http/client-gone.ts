import type { FastifyReply } from 'fastify';

/** A signal that aborts when the client goes away before its response is finished. */
export interface ClientGone {
  signal: AbortSignal;
  /** Stops watching; call it once the response is sent (or the request failed). */
  release(): void;
}

/**
 * Watches the response for a client that hangs up early, so the upstream call it was
 * waiting for is cancelled (and its usage row records the cut) instead of running on for
 * nobody. Streaming or not: a long non-streaming generation costs as much as a stream.
 */
export function abortWhenClientGone(reply: FastifyReply): ClientGone {
  const abort = new AbortController();
  const raw = reply.raw;
  const onClose = () => {
    if (!raw.writableFinished) abort.abort();
  };
  raw.on('close', onClose);
  // Gone already (while the key was checked, say): 'close' has fired and will not again.
  if (raw.destroyed) onClose();
  return { signal: abort.signal, release: () => raw.off('close', onClose) };
}
