import { AIError } from './ai-error.js';

type Details = ConstructorParameters<typeof AIError>[2];
type Extra = Omit<Details, 'retryable'>;

/** The upstream rejected the key (401/403). Retrying does not help. */
export class AuthenticationError extends AIError {
  override readonly name = 'AuthenticationError';
  constructor(message: string, extra: Extra = {}) {
    super('authentication', message, { ...extra, retryable: false });
  }
}

/** The request is wrong (400/422). Retrying the same request does not help. */
export class BadRequestError extends AIError {
  override readonly name = 'BadRequestError';
  constructor(message: string, extra: Extra = {}) {
    super('bad_request', message, { ...extra, retryable: false });
  }
}

/** No such model, here or at the provider (404). */
export class ModelNotFoundError extends AIError {
  override readonly name = 'ModelNotFoundError';
  constructor(message: string, extra: Extra = {}) {
    super('model_not_found', message, { ...extra, retryable: false });
  }
}

/** Too many requests (429); `retryAfterMs` says when, if the upstream said. */
export class RateLimitError extends AIError {
  override readonly name = 'RateLimitError';
  constructor(message: string, extra: Extra = {}) {
    super('rate_limited', message, { ...extra, retryable: true });
  }
}

/** The call took longer than its timeout. */
export class TimeoutError extends AIError {
  override readonly name = 'TimeoutError';
  constructor(message: string, extra: Extra = {}) {
    super('timeout', message, { ...extra, retryable: true });
  }
}

/** The caller cancelled the call. */
export class AbortedError extends AIError {
  override readonly name = 'AbortedError';
  constructor(message = 'The call was cancelled', extra: Extra = {}) {
    super('aborted', message, { ...extra, retryable: false });
  }
}

/** The upstream failed (5xx, or an error event mid-stream). */
export class UpstreamError extends AIError {
  override readonly name = 'UpstreamError';
  constructor(message: string, extra: Extra & { retryable?: boolean } = {}) {
    super('upstream_error', message, {
      ...extra,
      retryable:
        extra.retryable ??
        (extra.status === undefined || extra.status >= 500 || extra.status === 408 || extra.status === 409),
    });
  }
}

/** The upstream could not be reached (refused, reset, DNS). */
export class ConnectionError extends AIError {
  override readonly name = 'ConnectionError';
  constructor(message: string, extra: Extra = {}) {
    super('connection_error', message, { ...extra, retryable: true });
  }
}
