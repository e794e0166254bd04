import type { CallContext } from '@aigw/ai';
import type { FastifyRequest } from 'fastify';
import { responseOf } from '../../http/response-of.js';
import type { Caller } from '../../keys/caller.js';

/**
 * Who a gateway call is for: the key's user and team, their limits, and the request id its
 * usage rows carry. Where the key's tokens-per-minute window stands goes out in OpenAI's
 * `x-ratelimit-*-tokens` headers (set on the raw response: a stream's head carries them too).
 */
export function callerContext(caller: Caller, request: FastifyRequest): Partial<CallContext> {
  const response = responseOf(request);
  return {
    userId: caller.userId,
    apiKeyId: caller.apiKeyId,
    ...(caller.teamId ? { teamId: caller.teamId } : {}),
    requestId: String(request.id),
    limits: {
      budgetUsd: caller.budgetUsd,
      rpmLimit: caller.rpmLimit,
      budgets: caller.budgets,
      tokenRates: caller.tokenRates,
      allowedModels: caller.allowedModels,
      onTokenWindow: ({ limit, remaining, resetMs }) => {
        if (!response || response.headersSent) return;
        response.setHeader('x-ratelimit-limit-tokens', String(limit));
        response.setHeader('x-ratelimit-remaining-tokens', String(remaining));
        response.setHeader('x-ratelimit-reset-tokens', `${Math.max(1, Math.ceil(resetMs / 1000))}s`);
      },
    },
  };
}
