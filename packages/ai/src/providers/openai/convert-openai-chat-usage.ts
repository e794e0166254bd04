import type { TokenUsage } from '../../types/token-usage.js';

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

const known = (n: number | null | undefined): number | undefined => (typeof n === 'number' ? n : undefined);

/** THE one place an OpenAI-format usage block becomes our TokenUsage; absent stays unknown. */
export function convertOpenAIChatUsage(usage: OpenAIChatUsage | null | undefined): TokenUsage {
  const total = known(usage?.prompt_tokens);
  const cacheRead =
    known(usage?.prompt_tokens_details?.cached_tokens) ?? known(usage?.prompt_cache_hit_tokens);
  // OpenAI does not bill cache writes; OpenRouter reports them for providers that do.
  const cacheWrite = known(usage?.prompt_tokens_details?.cache_write_tokens);
  const noCache =
    total === undefined || cacheRead === undefined ? undefined : total - cacheRead - (cacheWrite ?? 0);
  const output = known(usage?.completion_tokens);
  const reasoning = known(usage?.completion_tokens_details?.reasoning_tokens);
  return {
    // OpenAI-format usage does not split cache writes by TTL.
    inputTokens: { total, noCache, cacheRead, cacheWrite, cacheWrite1h: undefined },
    outputTokens: {
      total: output,
      text: output === undefined || reasoning === undefined ? undefined : output - reasoning,
      reasoning,
    },
    source: usage && (total !== undefined || output !== undefined) ? 'reported' : 'unknown',
    raw: usage ?? undefined,
  };
}
