import type { TokenUsage } from '../../types/token-usage.js';

/** The counts both OpenAI usage blocks (Chat Completions', the Responses API's) carry, read. */
export interface OpenAIUsageCounts {
  /** ALL input, cached included. */
  input: number | undefined;
  cacheRead: number | undefined;
  cacheWrite: number | undefined;
  /** ALL output, reasoning included. */
  output: number | undefined;
  reasoning: number | undefined;
}

/** A number, or unknown. */
export const knownCount = (n: number | null | undefined): number | undefined =>
  typeof n === 'number' ? n : undefined;

/**
 * OpenAI-format counts as our TokenUsage (the one mapping both usage converters share):
 * uncached input and visible output derived only where their parts are known.
 */
export function usageFromOpenAICounts(counts: OpenAIUsageCounts, raw: unknown): TokenUsage {
  const { input, cacheRead, cacheWrite, output, reasoning } = counts;
  const noCache =
    input === undefined || cacheRead === undefined ? undefined : input - cacheRead - (cacheWrite ?? 0);
  return {
    // OpenAI-format usage does not split cache writes by TTL.
    inputTokens: { total: input, noCache, cacheRead, cacheWrite, cacheWrite1h: undefined },
    outputTokens: {
      total: output,
      text: output === undefined || reasoning === undefined ? undefined : output - reasoning,
      reasoning,
    },
    source: raw && (input !== undefined || output !== undefined) ? 'reported' : 'unknown',
    raw: raw ?? undefined,
  };
}
