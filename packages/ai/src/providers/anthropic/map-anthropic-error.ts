import { AnthropicError, APIError } from '@anthropic-ai/sdk';
import {
  AbortedError,
  AIError,
  AuthenticationError,
  BadRequestError,
  cutSecrets,
  ModelNotFoundError,
  mapSdkError,
  RateLimitError,
  UpstreamError,
  type UpstreamReply,
} from '../../errors/index.js';

/** What the call knew when it failed (see `callSignal`), and the values to keep out of messages. */
export interface AnthropicErrorContext {
  aborted?: boolean;
  timedOut?: boolean;
  secrets?: (string | undefined)[];
}

/**
 * Turns anything thrown during an Anthropic call into an AIError. HTTP errors, aborts and
 * timeouts go through the shared `mapSdkError`; this adds the two cases it cannot know:
 * an `error` event inside a 200 stream, and the SDK refusing a request before sending it.
 */
export function mapAnthropicError(
  error: unknown,
  provider: string,
  context: AnthropicErrorContext = {},
): AIError {
  const secrets = context.secrets ?? [];
  if (context.aborted) return new AbortedError(`${provider}: the call was cancelled`, { provider });
  if (error instanceof AIError || context.timedOut) {
    return mapSdkError(error, provider, undefined, { timedOut: context.timedOut, secrets });
  }
  const streamError = streamErrorBody(error);
  if (streamError) return mapAnthropicStreamError(streamError, provider, undefined, secrets);
  if (error instanceof AnthropicError && !(error instanceof APIError)) {
    // The SDK refused to send the call (invalid options, no credentials): sending it again fails the same way.
    return new BadRequestError(cutSecrets(`${provider}: ${error.message}`, secrets), { provider });
  }
  return mapSdkError(error, provider, undefined, { secrets });
}

/** The `{ type, message }` of an `event: error` the SDK raised mid-stream (it has no HTTP status). */
function streamErrorBody(error: unknown): { type: string; message?: string } | undefined {
  if (!(error instanceof APIError) || error.status !== undefined) return undefined;
  const inner = (error.error as { error?: { type?: unknown; message?: unknown } } | undefined)?.error;
  if (typeof inner?.type !== 'string') return undefined;
  return { type: inner.type, message: typeof inner.message === 'string' ? inner.message : undefined };
}

/** An `event: error` of a 200 stream (`{ type, message }` of its `error`) as an AIError. */
export function mapAnthropicStreamError(
  body: { type?: string; message?: string },
  provider: string,
  upstreamReply?: UpstreamReply,
  secrets: (string | undefined)[] = [],
): AIError {
  const message = cutSecrets(`${provider}: ${body.message ?? body.type ?? 'stream error'}`, secrets);
  const extra = { provider, upstreamCode: body.type, ...(upstreamReply ? { upstreamReply } : {}) };
  switch (body.type) {
    case 'rate_limit_error':
      return new RateLimitError(message, extra);
    case 'authentication_error':
    case 'permission_error':
      return new AuthenticationError(message, extra);
    case 'not_found_error':
      return new ModelNotFoundError(message, extra);
    case 'invalid_request_error':
    case 'request_too_large':
    case 'billing_error':
      return new BadRequestError(message, extra);
    default:
      // overloaded_error, api_error, timeout_error and types added later: the upstream
      // failed mid-answer, and the same call may well succeed later.
      return new UpstreamError(message, { ...extra, retryable: true });
  }
}
