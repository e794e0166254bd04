import type { FastifyReply } from 'fastify';

/** A header value as one line of visible ASCII: anything else (an upstream's model name in another script, a newline) becomes `?`. */
function headerSafe(value: string): string {
  return value.replace(/[^\x20-\x7e]/g, '?');
}

/**
 * Which provider and provider model served the call, and what was not passed on. Set on
 * the raw response so they also go out with a stream's head. The model is whatever the
 * upstream reported, so every value is made header-safe: Node throws on the rest.
 */
export function setServedBy(
  reply: FastifyReply,
  served: { provider?: string; model: string; warnings?: string[] },
): void {
  if (served.provider) reply.raw.setHeader('x-aigw-provider', headerSafe(served.provider));
  reply.raw.setHeader('x-aigw-model', headerSafe(served.model));
  const warnings = headerSafe((served.warnings ?? []).join('; '));
  if (warnings) reply.raw.setHeader('x-aigw-warnings', warnings);
}
