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
  /** Ends the call's watch: stops its timer and its listener on the caller's signal. Call it once the call is over. */
  release(): void;
}

const nothingToRelease = () => {};

/**
 * Combines the caller's signal with the call's timeout: the request's `timeoutMs`, else
 * `defaultTimeoutMs` (a provider's own). It times the whole call, a stream's body
 * included; an SDK's `timeout` stops at the response head.
 *
 * One AbortController, one timer and one listener, all let go by `release()`: on Node 20
 * `AbortSignal.any` over an `AbortSignal.timeout` costs ~40 µs per call (weak references
 * and finalization registries for every source and dependant signal), where this costs
 * ~2 µs, and nothing of the call is kept once it is released.
 */
export function callSignal(
  request: { signal?: AbortSignal; timeoutMs?: number },
  defaultTimeoutMs?: number,
): CallSignal {
  const caller = request.signal;
  const timeoutMs = request.timeoutMs ?? defaultTimeoutMs;
  if (timeoutMs === undefined) {
    return {
      signal: caller,
      timedOut: false,
      get aborted() {
        return !!caller?.aborted;
      },
      release: nothingToRelease,
    };
  }
  const controller = new AbortController();
  let timedOut = false;
  const onCallerAbort = () => {
    clearTimeout(timer);
    controller.abort(caller?.reason);
  };
  const timer = setTimeout(() => {
    caller?.removeEventListener('abort', onCallerAbort);
    if (caller?.aborted) return;
    timedOut = true;
    // The reason `AbortSignal.timeout` gives.
    controller.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError'));
  }, timeoutMs);
  // A pending call's timer does not keep the process alive (as `AbortSignal.timeout`'s does not).
  timer.unref();
  if (caller?.aborted) onCallerAbort();
  else caller?.addEventListener('abort', onCallerAbort, { once: true });
  return {
    signal: controller.signal,
    get timedOut() {
      return timedOut && !caller?.aborted;
    },
    get aborted() {
      return !!caller?.aborted;
    },
    release() {
      clearTimeout(timer);
      caller?.removeEventListener('abort', onCallerAbort);
    },
  };
}
