/**
 * One signal for a provider call that fires on the caller's abort or on the call's
 * timeout, and remembers which. SDK timeout errors do not survive every runtime
 * (under a VM realm they arrive as plain connection errors), so we time calls ourselves
 * and classify the failure from this, not from the error's class.
 */
export interface CallSignal {
  signal: AbortSignal | undefined;
  /** True once the timeout fired (and the caller had not aborted first). */
  readonly timedOut: boolean;
  /** True once the caller aborted. */
  readonly aborted: boolean;
}

/**
 * Combines the caller's signal with the call's timeout: the request's `timeoutMs`, else
 * `defaultTimeoutMs` (a provider's own). It times the whole call, a stream's body
 * included; an SDK's `timeout` stops at the response head.
 */
export function callSignal(
  request: { signal?: AbortSignal; timeoutMs?: number },
  defaultTimeoutMs?: number,
): CallSignal {
  const timeoutMs = request.timeoutMs ?? defaultTimeoutMs;
  const timeout = timeoutMs !== undefined ? AbortSignal.timeout(timeoutMs) : undefined;
  const signals = [request.signal, timeout].filter((s): s is AbortSignal => !!s);
  const signal = signals.length > 1 ? AbortSignal.any(signals) : signals[0];
  return {
    signal,
    get timedOut() {
      return !!timeout?.aborted && !request.signal?.aborted;
    },
    get aborted() {
      return !!request.signal?.aborted;
    },
  };
}
