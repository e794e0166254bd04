import type { CallContext } from '@aigw/ai';
import type { FastifyRequest } from 'fastify';
import type { Caller } from '../../keys/caller.js';

/** Who a gateway call is for: the key's user and team, their limits, and the request id its usage rows carry. */
export function callerContext(caller: Caller, request: FastifyRequest): Partial<CallContext> {
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
    },
  };
}
