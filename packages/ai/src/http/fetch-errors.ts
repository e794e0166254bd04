/**
 * The errors fetch gives. The SDKs read them by shape: a rejection named `AbortError`
 * (the signal's reason) means aborted or timed out, anything else is a connection error.
 */

/** Why the request failed before a response: the signal's reason, else `TypeError('fetch failed')`. */
export function requestFailed(cause: unknown, signal: AbortSignal | undefined): unknown {
  if (signal?.aborted) return signal.reason;
  return new TypeError('fetch failed', { cause });
}

/** Why reading the body failed: the signal's reason, else `TypeError('terminated')`. */
export function bodyFailed(cause: unknown, signal: AbortSignal | undefined): unknown {
  if (signal?.aborted) return signal.reason;
  return new TypeError('terminated', { cause });
}
