import type { TokenUsage } from '../../types/token-usage.js';

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

const known = (n: number | null | undefined): number | undefined => (typeof n === 'number' ? n : undefined);

/** THE one place a Responses API usage block becomes our TokenUsage; absent stays unknown. */
export function convertOpenAIResponsesUsage(usage: OpenAIResponsesUsage | null | undefined): TokenUsage {
  const total = known(usage?.input_tokens);
  const cacheRead = known(usage?.input_tokens_details?.cached_tokens);
  const cacheWrite = known(usage?.input_tokens_details?.cache_write_tokens);
  const noCache =
    total === undefined || cacheRead === undefined ? undefined : total - cacheRead - (cacheWrite ?? 0);
  const output = known(usage?.output_tokens);
  const reasoning = known(usage?.output_tokens_details?.reasoning_tokens);
  return {
    // OpenAI does not split cache writes by TTL.
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
