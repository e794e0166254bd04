import type { ApiKeyModel, TeamModel, UserBudgetModel } from '@aigw/db';
import { budgetRules, keyBudgets, storedBudgets } from '../budgets/budget.js';
import type { Caller, CallerLimit } from './caller.js';

/** The call context of a key: its own limits, its user's budgets and its team's budgets and limits. */
export function callerOf(
  key: ApiKeyModel,
  team: TeamModel | null,
  user: Pick<UserBudgetModel, 'budgets'> | null,
): Caller {
  const limit = (scope: CallerLimit['scope'], id: string, value: number | null): CallerLimit[] =>
    value ? [{ scope, id, value }] : [];
  return {
    apiKeyId: key.id,
    userId: key.userId,
    teamId: team?.id ?? null,
    budgetUsd: key.budgetUsd?.toFixed() ?? null,
    rpmLimit: key.rpmLimit,
    expiresAtMs: key.expiresAt?.getTime() ?? null,
    budgets: [
      ...budgetRules('key', key.id, keyBudgets(key.budgets, key.budgetUsd)),
      ...budgetRules('user', key.userId, storedBudgets(user?.budgets)),
      ...(team ? budgetRules('team', team.id, storedBudgets(team.budgets), team.name) : []),
    ],
    requestRates: [
      ...limit('key', key.id, key.rpmLimit),
      ...(team ? limit('team', team.id, team.rpmLimit) : []),
    ],
    parallel: [
      ...limit('key', key.id, key.maxParallel),
      ...(team ? limit('team', team.id, team.maxParallel) : []),
    ],
    tokenRates: [
      ...(key.tpmLimit ? [{ scope: 'key' as const, id: key.id, tpmLimit: key.tpmLimit }] : []),
      ...(team?.tpmLimit ? [{ scope: 'team' as const, id: team.id, tpmLimit: team.tpmLimit }] : []),
    ],
    allowedModels: [
      ...(key.allowedModels.length
        ? [{ scope: 'key' as const, id: key.id, patterns: key.allowedModels }]
        : []),
      ...(team?.allowedModels.length
        ? [{ scope: 'team' as const, id: team.name, patterns: team.allowedModels }]
        : []),
    ],
  };
}
