/**
 * OpenAI's `x-ratelimit-{limit,remaining,reset}-{requests,tokens}` headers for one window:
 * its limit, what is left in it, and the time until it starts again (whole seconds, at
 * least 1, as `12s`).
 */
export function rateLimitHeaders(
  unit: 'requests' | 'tokens',
  window: { limit: number; remaining: number; resetMs: number },
): Record<string, string> {
  return {
    [`x-ratelimit-limit-${unit}`]: String(window.limit),
    [`x-ratelimit-remaining-${unit}`]: String(window.remaining),
    [`x-ratelimit-reset-${unit}`]: `${Math.max(1, Math.ceil(window.resetMs / 1000))}s`,
  };
}
