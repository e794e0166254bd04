import type { ReasoningSettings } from '../../types/chat-request.js';

/** OpenAI's `reasoning_effort` values. */
export type OpenAIReasoningEffort = NonNullable<ReasoningSettings['effort']>;

/**
 * A thinking budget (Anthropic's `budget_tokens`) as an effort level: below 2048 tokens
 * `low`, below 8192 `medium`, else `high` — around the budgets Anthropic's own effort
 * levels map to (1024 / 4096 / 16384, see convert-to-anthropic-thinking.ts).
 */
export function effortForBudget(budgetTokens: number): OpenAIReasoningEffort {
  if (budgetTokens < 2048) return 'low';
  if (budgetTokens < 8192) return 'medium';
  return 'high';
}

/**
 * Our reasoning settings as `reasoning_effort`, for a model the catalog says reasons
 * (`reasons`); other models, or models the catalog does not know, get none, and a warning.
 */
export function convertToOpenAIReasoning(
  reasoning: ReasoningSettings | undefined,
  model: string,
  reasons: boolean,
): { effort?: OpenAIReasoningEffort; warnings: string[] } {
  const warnings: string[] = [];
  if (!reasoning || (reasoning.effort === undefined && reasoning.budgetTokens === undefined)) {
    return { warnings };
  }
  if (!reasons) {
    warnings.push(`reasoning was not sent: the catalog does not list ${model} as a reasoning model`);
    return { warnings };
  }
  if (reasoning.effort !== undefined && reasoning.budgetTokens !== undefined) {
    warnings.push(
      `the thinking budget (${reasoning.budgetTokens} tokens) was not sent: reasoning_effort ${reasoning.effort} was given`,
    );
  }
  const effort =
    reasoning.effort ??
    (reasoning.budgetTokens === undefined ? undefined : effortForBudget(reasoning.budgetTokens));
  return { ...(effort ? { effort } : {}), warnings };
}
