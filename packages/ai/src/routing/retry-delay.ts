import { AIError } from '../errors/ai-error.js';

/** How retries of one target wait. */
export interface RetrySettings {
  /** Retries per target before moving on (the route's `retries`, default 0). */
  retries: number;
  /** First backoff delay (doubles each retry). */
  baseDelayMs: number;
  /** Longest wait before a retry; a longer `retry-after` moves on to the next target instead. */
  maxDelayMs: number;
}

export const DEFAULT_RETRY_SETTINGS: RetrySettings = { retries: 0, baseDelayMs: 250, maxDelayMs: 5000 };

/**
 * The wait before retry number `retry` (1-based) of the same target, or undefined when
 * it should not be retried: the upstream's `retry-after` when given (and short enough),
 * else exponential backoff with full jitter.
 */
export function retryDelay(
  error: unknown,
  retry: number,
  settings: RetrySettings,
  random: () => number = Math.random,
): number | undefined {
  if (!(error instanceof AIError) || !error.retryable || retry > settings.retries) return undefined;
  const asked = error.details.retryAfterMs;
  if (asked !== undefined) return asked <= settings.maxDelayMs ? asked : undefined;
  const ceiling = Math.min(settings.maxDelayMs, settings.baseDelayMs * 2 ** (retry - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
