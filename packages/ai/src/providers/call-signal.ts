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

/** The longest delay a Node timer takes (2^31 − 1 ms, ~24.8 days); a longer one fires at once. */
const MAX_TIMER_MS = 2_147_483_647;

/** The calls that follow one caller's signal, and the one listener that tells them it fired. */
interface Followers {
  calls: Set<() => void>;
  abortAll: () => void;
}

const followersOf = new WeakMap<AbortSignal, Followers>();

/**
 * Has `onAbort` run when `caller` aborts, through one listener on `caller` however many
 * calls follow it at once (a signal shared by many concurrent calls would otherwise
 * collect a listener per call, and Node warns of a leak past 10). Returns what stops
 * following; the listener goes with the last follower.
 */
function follow(caller: AbortSignal, onAbort: () => void): () => void {
  let followers = followersOf.get(caller);
  if (!followers) {
    const calls = new Set<() => void>();
    const abortAll = () => {
      followersOf.delete(caller);
      for (const call of calls) call();
    };
    followers = { calls, abortAll };
    followersOf.set(caller, followers);
    caller.addEventListener('abort', abortAll, { once: true });
  }
  const mine = followers;
  mine.calls.add(onAbort);
  return () => {
    if (!mine.calls.delete(onAbort) || mine.calls.size > 0) return;
    if (followersOf.get(caller) === mine) followersOf.delete(caller);
    caller.removeEventListener('abort', mine.abortAll);
  };
}

/**
 * Combines the caller's signal with the call's timeout: the request's `timeoutMs`, else
 * `defaultTimeoutMs` (a provider's own). It times the whole call, a stream's body
 * included; an SDK's `timeout` stops at the response head.
 *
 * One AbortController and one timer per call, let go by `release()`, and one listener
 * per caller's signal (see `follow`). On Node 20, `AbortSignal.any` over an
 * `AbortSignal.timeout` costs about twice as much per call in a loop, and more under
 * load: its weak references and finalization registries add work to every garbage
 * collection. Nothing of a call is kept once it is released.
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
  let unfollow = nothingToRelease;
  const timer = setTimeout(
    () => {
      unfollow();
      if (caller?.aborted) return;
      timedOut = true;
      // The reason `AbortSignal.timeout` gives.
      controller.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError'));
    },
    Math.min(timeoutMs, MAX_TIMER_MS),
  );
  // A pending call's timer does not keep the process alive (as `AbortSignal.timeout`'s does not).
  timer.unref();
  const onCallerAbort = () => {
    clearTimeout(timer);
    controller.abort(caller?.reason);
  };
  if (caller?.aborted) onCallerAbort();
  else if (caller) unfollow = follow(caller, onCallerAbort);
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
      unfollow();
    },
  };
}
