import type { TokenUsage } from '../../types/token-usage.js';
import { knownCount, usageFromOpenAICounts } from './openai-usage-counts.js';

/**
 * The OpenAI usage block and the variants compatible servers send. `prompt_tokens` is
 * ALL input (cached included); `completion_tokens` is ALL output (reasoning included).
 */
export interface OpenAIChatUsage {
  prompt_tokens?: number | null;
  completion_tokens?: number | null;
  total_tokens?: number | null;
  prompt_tokens_details?: { cached_tokens?: number | null; cache_write_tokens?: number | null } | null;
  completion_tokens_details?: { reasoning_tokens?: number | null } | null;
  /** DeepSeek's cache split of prompt_tokens. */
  prompt_cache_hit_tokens?: number | null;
  prompt_cache_miss_tokens?: number | null;
}

/** THE one place an OpenAI-format usage block becomes our TokenUsage; absent stays unknown. */
export function convertOpenAIChatUsage(usage: OpenAIChatUsage | null | undefined): TokenUsage {
  return usageFromOpenAICounts(
    {
      input: knownCount(usage?.prompt_tokens),
      cacheRead:
        knownCount(usage?.prompt_tokens_details?.cached_tokens) ?? knownCount(usage?.prompt_cache_hit_tokens),
      // OpenAI does not bill cache writes; OpenRouter reports them for providers that do.
      cacheWrite: knownCount(usage?.prompt_tokens_details?.cache_write_tokens),
      output: knownCount(usage?.completion_tokens),
      reasoning: knownCount(usage?.completion_tokens_details?.reasoning_tokens),
    },
    usage,
  );
}
