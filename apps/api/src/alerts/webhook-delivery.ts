import {
  DelegateBackoff,
  handleWhen,
  type IRetryBackoffContext,
  retry,
  TaskCancelledError,
  TimeoutStrategy,
  timeout,
  wrap,
} from 'cockatiel';
import { retryAfterMs } from './retry-after.js';

/** One webhook POST: its raw body and headers (the same on every attempt but the signature). */
export interface WebhookRequest {
  url: string;
  body: string;
  /** Headers of each attempt (called per attempt, so a signature carries that attempt's time). */
  headers: () => Record<string, string>;
}

/** How a delivery is tried. */
export interface DeliveryPolicy {
  /** Attempts in all (the first one included). */
  attempts: number;
  /** Time limit of each attempt. */
  timeoutMs: number;
  /** First backoff delay; each next one doubles (with jitter), up to maxDelayMs. */
  initialDelayMs: number;
  maxDelayMs: number;
  /** The longest Retry-After honoured. */
  maxRetryAfterMs: number;
}

/** Four attempts, 5 s each, backing off from 250 ms. */
export const DEFAULT_DELIVERY_POLICY: DeliveryPolicy = {
  attempts: 4,
  timeoutMs: 5000,
  initialDelayMs: 250,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 60_000,
};

/** How a delivery ended. */
export type DeliveryOutcome =
  | { delivered: true; attempts: number; status: number }
  /** `reason` never holds the URL or a header. */
  | { delivered: false; attempts: number; reason: string };

/** An answer worth another attempt (5xx, 429), with the wait it asked for. */
class RetryableStatusError extends Error {
  constructor(
    readonly status: number,
    readonly retryAfterMs: number | undefined,
  ) {
    super(`HTTP ${status}`);
  }
}

/** An answer that another attempt would not change (other 4xx, 3xx). */
class RejectedStatusError extends Error {
  constructor(readonly status: number) {
    super(`HTTP ${status}`);
  }
}

/** Thrown instead of an attempt once the delivery's signal is aborted. */
class AbandonedError extends Error {}

/** The exponential delay of retry `attempt` (1-based), jittered by ±20 %. */
function backoffMs(attempt: number, policy: DeliveryPolicy): number {
  const base = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** (attempt - 1));
  return Math.round(base * (0.8 + Math.random() * 0.4));
}

/** Why an attempt failed, for the log: a status, a timeout or the network error's message. */
function failureReason(error: unknown, timeoutMs: number): string {
  if (error instanceof RetryableStatusError || error instanceof RejectedStatusError) return error.message;
  if (error instanceof TaskCancelledError) return `no answer within ${timeoutMs} ms`;
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message ?? String(error);
}

/**
 * POSTs `request`, retrying network errors, timeouts, 5xx and 429 (after Retry-After when
 * given) with exponential backoff. Never throws. `signal` abandons it (no further attempt).
 */
export async function deliverWebhook(
  request: WebhookRequest,
  policy: DeliveryPolicy = DEFAULT_DELIVERY_POLICY,
  signal?: AbortSignal,
): Promise<DeliveryOutcome> {
  const retries = retry(
    handleWhen((error) => !(error instanceof RejectedStatusError || error instanceof AbandonedError)),
    {
      maxAttempts: policy.attempts - 1,
      backoff: new DelegateBackoff<IRetryBackoffContext<unknown>>(({ attempt, result }) => {
        const error = 'error' in result ? result.error : undefined;
        if (error instanceof RetryableStatusError && error.retryAfterMs !== undefined)
          return Math.min(error.retryAfterMs, policy.maxRetryAfterMs);
        return backoffMs(attempt, policy);
      }),
    },
  ).dangerouslyUnref();
  const perAttempt = timeout(policy.timeoutMs, TimeoutStrategy.Aggressive).dangerouslyUnref();
  let attempts = 0;
  try {
    const status = await wrap(retries, perAttempt).execute(async ({ signal: attemptSignal }) => {
      if (signal?.aborted) throw new AbandonedError('abandoned');
      attempts++;
      const response = await fetch(request.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...request.headers() },
        body: request.body,
        signal: attemptSignal,
        redirect: 'manual',
      });
      // The answer's body is not needed; dropping it frees the connection.
      await response.body?.cancel().catch(() => undefined);
      if (response.ok) return response.status;
      if (response.status >= 500 || response.status === 429)
        throw new RetryableStatusError(response.status, retryAfterMs(response.headers.get('retry-after')));
      throw new RejectedStatusError(response.status);
    }, signal);
    return { delivered: true, attempts, status };
  } catch (error) {
    const reason = signal?.aborted ? 'abandoned at shutdown' : failureReason(error, policy.timeoutMs);
    return { delivered: false, attempts, reason };
  }
}
