import type { AIError, UpstreamReply } from './ai-error.js';
import {
  AuthenticationError,
  BadRequestError,
  ModelNotFoundError,
  RateLimitError,
  TimeoutError,
  UpstreamError,
} from './errors.js';
import { retryAfterMs } from './retry-after.js';

/** What an upstream HTTP error said, whichever SDK carried it. */
export interface HttpErrorInfo {
  provider: string;
  status: number;
  message: string;
  headers?: Headers | Record<string, string | undefined>;
  /** The upstream's error type or code (`rate_limit_error`, `model_not_found`...). */
  upstreamCode?: string;
  /** The native lane: the upstream's error body, for a caller in its format. */
  upstreamReply?: UpstreamReply;
}

/** Maps an upstream HTTP error to our error classes, by status first, then by the upstream's code. */
export function errorFromStatus(info: HttpErrorInfo): AIError {
  const extra = {
    provider: info.provider,
    status: info.status,
    upstreamCode: info.upstreamCode,
    ...(info.upstreamReply ? { upstreamReply: info.upstreamReply } : {}),
  };
  const message = `${info.provider}: ${info.message || `HTTP ${info.status}`}`;
  const code = info.upstreamCode ?? '';
  if (info.status === 401 || info.status === 403) return new AuthenticationError(message, extra);
  if (info.status === 404 || /model_not_found|not_found_error/.test(code)) {
    return new ModelNotFoundError(message, extra);
  }
  if (info.status === 429) {
    return new RateLimitError(message, { ...extra, retryAfterMs: retryAfterMs(info.headers) });
  }
  if (info.status === 408) return new TimeoutError(message, extra);
  if (info.status === 529 || code === 'overloaded_error') {
    // Anthropic's "overloaded": a capacity problem, worth retrying later.
    return new UpstreamError(message, {
      ...extra,
      retryable: true,
      retryAfterMs: retryAfterMs(info.headers),
    });
  }
  if (info.status >= 400 && info.status < 500 && info.status !== 409)
    return new BadRequestError(message, extra);
  return new UpstreamError(message, { ...extra, retryAfterMs: retryAfterMs(info.headers) });
}
