import type { ThinkingConfigParam } from '@anthropic-ai/sdk/resources/messages';
import type { ReasoningSettings } from '../../types/chat-request.js';

/** Anthropic's smallest thinking budget. */
export const MIN_THINKING_BUDGET = 1024;

/**
 * Thinking budgets for effort levels, as the other providers name them. `none` and
 * `minimal` mean no thinking. Above `high` (OpenAI's `xhigh`, `max`) the budgets stay
 * small enough that budget + answer fits every current Claude model's output limit.
 */
export const THINKING_BUDGET_FOR_EFFORT: Record<
  NonNullable<ReasoningSettings['effort']>,
  number | undefined
> = {
  none: undefined,
  minimal: undefined,
  low: 1024,
  medium: 4096,
  high: 16384,
  xhigh: 24576,
  max: 32768,
};

/** Anthropic's `thinking` and the `max_tokens` that leaves room for it, with what changed. */
export interface AnthropicThinking {
  thinking?: ThinkingConfigParam;
  maxTokens: number;
  warnings: string[];
}

/**
 * Our reasoning settings as Anthropic's extended thinking. Anthropic counts thinking
 * inside `max_tokens` and wants `budget_tokens` below it. With no `maxTokens` from the
 * caller, the default answer room comes on top of the budget. A `maxTokens` at or below
 * the budget is read as the room wanted for the answer: `max_tokens` becomes budget + it,
 * and a warning says so (the alternative, a 400, would fail requests that work elsewhere,
 * where reasoning has no budget to collide with).
 */
export function convertToAnthropicThinking(
  reasoning: ReasoningSettings | undefined,
  maxTokens: number | undefined,
  defaultMaxTokens: number,
): AnthropicThinking {
  const warnings: string[] = [];
  let budget = reasoning?.budgetTokens;
  if (budget !== undefined && reasoning?.effort !== undefined) {
    warnings.push(
      `reasoning effort ${reasoning.effort} was not sent: the thinking budget (${budget} tokens) sets it`,
    );
  }
  if (budget === undefined && reasoning?.effort !== undefined) {
    budget = THINKING_BUDGET_FOR_EFFORT[reasoning.effort];
  }
  if (budget === undefined) return { maxTokens: maxTokens ?? defaultMaxTokens, warnings };
  if (budget < MIN_THINKING_BUDGET) {
    warnings.push(
      `the thinking budget was raised from ${budget} to ${MIN_THINKING_BUDGET} tokens, Anthropic's minimum`,
    );
    budget = MIN_THINKING_BUDGET;
  }
  const thinking: ThinkingConfigParam = { type: 'enabled', budget_tokens: budget };
  if (maxTokens === undefined) return { thinking, maxTokens: budget + defaultMaxTokens, warnings };
  if (maxTokens > budget) return { thinking, maxTokens, warnings };
  warnings.push(
    `maxTokens was raised from ${maxTokens} to ${budget + maxTokens}: Anthropic counts the thinking budget (${budget} tokens) inside max_tokens and wants it below`,
  );
  return { thinking, maxTokens: budget + maxTokens, warnings };
}
