import type { AIError, UpstreamReply } from '../../errors/ai-error.js';
import { errorFromStatus } from '../../errors/error-from-status.js';
import { UpstreamError } from '../../errors/errors.js';

/** The HTTP status a Responses API error code stands for, where one clearly does. */
function statusOfCode(code: string | undefined): number | undefined {
  if (code === undefined) return undefined;
  if (code === 'rate_limit_exceeded' || code === 'insufficient_quota') return 429;
  if (code === 'server_error' || code === 'vector_store_timeout') return 500;
  if (code === 'bio_policy' || code === 'data_residency_mismatch') return 400;
  if (/^(invalid_|image_|unsupported_|empty_|failed_to_download_|context_length_)/.test(code)) return 400;
  return undefined;
}

/**
 * A failure inside a 200 Responses stream (`response.failed`, whose `response.error` says
 * why, or an `error` event) as an AIError carrying that event, which the caller already
 * has: classified by its code where the code says what went wrong, else an UpstreamError.
 */
export function openAIResponsesStreamError(
  error: { code?: string; message?: string },
  provider: string,
  upstreamReply: UpstreamReply,
): AIError {
  const status = statusOfCode(error.code);
  const message = error.message ?? error.code ?? 'the stream failed';
  if (status === undefined) {
    return new UpstreamError(`${provider}: ${message}`, {
      provider,
      upstreamCode: error.code,
      upstreamReply,
    });
  }
  return errorFromStatus({ provider, status, message, upstreamCode: error.code, upstreamReply });
}
