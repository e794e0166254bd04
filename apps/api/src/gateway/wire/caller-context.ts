import type { CallContext } from '@aigw/ai';
import type { FastifyRequest } from 'fastify';
import { rateLimitHeaders } from '../../http/rate-limit-headers.js';
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
      onTokenWindow: (window) => {
        if (!response || response.headersSent) return;
        for (const [name, value] of Object.entries(rateLimitHeaders('tokens', window))) {
          response.setHeader(name, value);
        }
      },
    },
  };
}
