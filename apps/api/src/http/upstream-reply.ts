import { AIError, type UpstreamReply, type WireFormat } from '@aigw/ai';
import type { ErrorFormat } from './error-format.js';

/** The error format of each wire format's routes. */
const FAMILY: Record<WireFormat, ErrorFormat> = {
  'anthropic-messages': 'anthropic',
  'openai-chat': 'openai',
  'openai-responses': 'openai',
};

/**
 * The provider's own error body, to send as it is: on the native lane, when the caller
 * speaks the provider's format and the request itself was refused (a 4xx other than the
 * gateway's credentials being refused, which is an admin's problem, not the caller's).
 */
export function passThroughReply(format: ErrorFormat, error: unknown): UpstreamReply | undefined {
  if (!(error instanceof AIError)) return undefined;
  const reply = error.details.upstreamReply;
  if (!reply || FAMILY[reply.format] !== format) return undefined;
  if (reply.status < 400 || reply.status >= 500 || reply.status === 401 || reply.status === 403)
    return undefined;
  return reply;
}
