import { BrokenCircuitError } from 'cockatiel';
import { AIError } from '../errors/ai-error.js';
import { AbortedError, TimeoutError, UpstreamError } from '../errors/errors.js';
import type { RouteTarget } from '../registry/provider-registry.js';
import type { CircuitBreakers } from './circuit-breakers.js';
import { type RetrySettings, retryDelay } from './retry-delay.js';

/** How one request moves through its targets. */
export interface RouteRunOptions {
  retry: RetrySettings;
  breakers: CircuitBreakers;
  /** Timeout of each attempt. */
  attemptTimeoutMs?: number;
  /** Epoch ms by which the whole request must be done. */
  deadline?: number;
  /** The caller's cancellation. */
  signal?: AbortSignal;
  random?: () => number;
}

/** Errors after which trying elsewhere cannot help: the request itself is the problem. */
const FINAL = new Set(['bad_request', 'aborted', 'budget_exceeded']);

/**
 * Runs `attempt` on the planned targets: each target (unless its breaker is open) is
 * tried, retried with backoff while its error is retryable and retries remain, then the
 * next target takes over. Returns the first success; throws the last failure. Every
 * call of `attempt` is one recorded attempt.
 */
export async function runRoute<T>(
  plan: RouteTarget[],
  options: RouteRunOptions,
  attempt: (target: RouteTarget, timeoutMs: number | undefined) => Promise<T>,
): Promise<T> {
  let lastError: unknown;
  let skipped = 0;
  for (const target of plan) {
    for (let retry = 0; ; retry++) {
      if (options.signal?.aborted) throw new AbortedError();
      const remaining = options.deadline === undefined ? undefined : options.deadline - Date.now();
      if (remaining !== undefined && remaining <= 0) {
        throw lastError instanceof AIError
          ? lastError
          : new TimeoutError('The request timed out before any target answered');
      }
      const timeoutMs = minDefined(options.attemptTimeoutMs, remaining);
      try {
        return await options.breakers.for(target.provider.name).execute(() => attempt(target, timeoutMs));
      } catch (error) {
        if (error instanceof BrokenCircuitError) {
          skipped++;
          break;
        }
        lastError = error;
        if (!(error instanceof AIError) || FINAL.has(error.code)) throw error;
        const delay = retryDelay(error, retry + 1, options.retry, options.random);
        if (delay === undefined) break;
        await sleep(Math.min(delay, remaining ?? delay), options.signal);
      }
    }
  }
  if (lastError) throw lastError;
  throw new UpstreamError(
    `No target could take the request: ${skipped} of ${plan.length} ${plan.length === 1 ? 'is' : 'are'} failing and paused (circuit open). Try again shortly.`,
    { retryable: true, status: 503 },
  );
}

function minDefined(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.min(a, b);
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(done, ms);
    function done() {
      signal?.removeEventListener('abort', abort);
      resolve();
    }
    function abort() {
      clearTimeout(timer);
      reject(new AbortedError());
    }
    signal?.addEventListener('abort', abort, { once: true });
  });
}
