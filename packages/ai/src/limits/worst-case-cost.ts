import { Decimal } from 'decimal.js';
import { computeCost } from '../cost/compute-cost.js';
import type { ChatRequest } from '../types/chat-request.js';
import type { EmbedRequest } from '../types/embedding.js';
import type { ModelPricing } from '../types/model-info.js';
import type { TokenUsage } from '../types/token-usage.js';
import { estimateRequestTokens, estimateTextTokens } from '../usage/estimate-tokens.js';

/** The most a call can cost, and the token counts that figure assumes. */
export interface WorstCase {
  /** USD, decimal string with 12 digits after the point. */
  usd: string;
  promptTokens: number;
  outputTokens: number;
  /** What the figure is for, when not tokens (`2 image(s)`). */
  describe?: string;
}

/**
 * Our tokenizer (o200k) is one provider's; others count more tokens for the same text,
 * so the prompt estimate gets a margin before it bounds the cost.
 */
export const PROMPT_MARGIN = 1.25;

/**
 * Output reserved for a call that sets no max tokens: what the context window leaves,
 * capped at 4096. Without the cap a budget would refuse most calls (a 128k window at
 * output prices); with it, an uncapped answer longer than 4096 tokens is settled at
 * its real cost and can pass the budget by that excess, so budgeted callers should
 * set max tokens.
 */
export const DEFAULT_MAX_OUTPUT_TOKENS = 4096;

/**
 * The worst-case cost of a chat call: the prompt estimate (with PROMPT_MARGIN), all of
 * it at the dearest of the input and cache-write (5-minute, 1-hour) prices, plus the
 * most output it may produce at the output price. Undefined for an unpriced model.
 */
export function worstCaseChatCost(
  request: ChatRequest,
  pricing: ModelPricing | undefined,
  contextWindow: number | undefined,
): WorstCase | undefined {
  if (!pricing) return undefined;
  const estimate = estimateRequestTokens(request);
  const promptTokens = Math.ceil(estimate * PROMPT_MARGIN);
  const room =
    contextWindow === undefined ? DEFAULT_MAX_OUTPUT_TOKENS : Math.max(0, contextWindow - estimate);
  const outputTokens = request.maxTokens ?? Math.min(DEFAULT_MAX_OUTPUT_TOKENS, room);
  return { usd: dearest(pricing, promptTokens, outputTokens), promptTokens, outputTokens };
}

/** The worst-case cost of an embeddings call: its inputs' tokens (with PROMPT_MARGIN) at the input price. */
export function worstCaseEmbedCost(
  request: EmbedRequest,
  pricing: ModelPricing | undefined,
): WorstCase | undefined {
  if (!pricing) return undefined;
  const estimate = request.input.reduce((sum, text) => sum + estimateTextTokens(text), 0);
  const promptTokens = Math.ceil(estimate * PROMPT_MARGIN);
  return { usd: dearest(pricing, promptTokens, 0), promptTokens, outputTokens: 0 };
}

/**
 * computeCost with every input token uncached, then every one a (5-minute) cache write,
 * then every one a 1-hour cache write: the dearest of the three.
 */
function dearest(pricing: ModelPricing, input: number, output: number): string {
  const usage = (noCache: number, cacheWrite: number, cacheWrite1h: number): TokenUsage => ({
    inputTokens: { total: input, noCache, cacheRead: 0, cacheWrite, cacheWrite1h },
    outputTokens: { total: output, text: undefined, reasoning: undefined },
    source: 'estimated',
  });
  const plain = new Decimal(computeCost(usage(input, 0, 0), pricing).usd ?? 0);
  const written = new Decimal(computeCost(usage(0, input, 0), pricing).usd ?? 0);
  const written1h = new Decimal(computeCost(usage(0, input, input), pricing).usd ?? 0);
  return Decimal.max(plain, written, written1h).toFixed(12);
}
