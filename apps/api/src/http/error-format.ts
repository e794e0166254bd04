/** Which wire format a route answers errors in. */
export type ErrorFormat = 'openai' | 'anthropic' | 'plain';

/**
 * Anthropic's routes speak Anthropic, and so does the model list to a caller that sends
 * `anthropic-version` (the Anthropic SDK); the rest of /v1 and the admin API speak OpenAI's
 * format.
 */
export function errorFormatFor(url: string, anthropicVersion?: unknown): ErrorFormat {
  const path = url.split('?')[0] ?? '';
  if (path === '/v1/messages' || path.startsWith('/v1/messages/')) return 'anthropic';
  if ((path === '/v1/models' || path.startsWith('/v1/models/')) && anthropicVersion !== undefined)
    return 'anthropic';
  if (path.startsWith('/v1/') || path.startsWith('/admin/')) return 'openai';
  return 'plain';
}

const OPENAI_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  402: 'insufficient_quota',
  403: 'permission_error',
  404: 'invalid_request_error',
  413: 'invalid_request_error',
  414: 'invalid_request_error',
  415: 'invalid_request_error',
  429: 'rate_limit_exceeded',
};

const ANTHROPIC_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  402: 'billing_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  415: 'invalid_request_error',
  429: 'rate_limit_error',
  504: 'timeout_error',
  529: 'overloaded_error',
};

/** An error body in the route's own format. `code` is our machine-readable reason. */
export function errorBody(
  format: ErrorFormat,
  status: number,
  message: string,
  code: string | null,
  details?: Record<string, unknown>,
): unknown {
  if (format === 'anthropic') {
    return {
      type: 'error',
      error: {
        type: ANTHROPIC_TYPES[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error'),
        message,
        ...details,
      },
    };
  }
  if (format === 'openai') {
    return {
      error: {
        message,
        type: OPENAI_TYPES[status] ?? (status >= 500 ? 'server_error' : 'invalid_request_error'),
        param: null,
        code,
        ...details,
      },
    };
  }
  return { statusCode: status, message, error: code };
}
