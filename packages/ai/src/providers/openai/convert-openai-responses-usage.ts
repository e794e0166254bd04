import type { TokenUsage } from '../../types/token-usage.js';
import { knownCount, usageFromOpenAICounts } from './openai-usage-counts.js';

/**
 * The Responses API's usage block. `input_tokens` is ALL input (cached included);
 * `output_tokens` is ALL output (reasoning included).
 */
export interface OpenAIResponsesUsage {
  input_tokens?: number | null;
  input_tokens_details?: { cached_tokens?: number | null; cache_write_tokens?: number | null } | null;
  output_tokens?: number | null;
  output_tokens_details?: { reasoning_tokens?: number | null } | null;
  total_tokens?: number | null;
}

/** THE one place a Responses API usage block becomes our TokenUsage; absent stays unknown. */
export function convertOpenAIResponsesUsage(usage: OpenAIResponsesUsage | null | undefined): TokenUsage {
  return usageFromOpenAICounts(
    {
      input: knownCount(usage?.input_tokens),
      cacheRead: knownCount(usage?.input_tokens_details?.cached_tokens),
      cacheWrite: knownCount(usage?.input_tokens_details?.cache_write_tokens),
      output: knownCount(usage?.output_tokens),
      reasoning: knownCount(usage?.output_tokens_details?.reasoning_tokens),
    },
    usage,
  );
}
