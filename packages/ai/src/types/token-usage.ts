/**
 * Token counts of one call, the same shape for every provider. Each provider maps its
 * own usage block into it exactly once (`convert-*-usage.ts`). `undefined` means
 * unknown — never read it as zero.
 */
export interface TokenUsage {
  inputTokens: {
    /** All input tokens: uncached + cache reads + cache writes. */
    total: number | undefined;
    /** Input tokens neither read from nor written to a prompt cache. */
    noCache: number | undefined;
    /** Input tokens read from the provider's prompt cache. */
    cacheRead: number | undefined;
    /** Input tokens written to the provider's prompt cache. */
    cacheWrite: number | undefined;
    /** The part of `cacheWrite` written with a 1-hour TTL (the rest: the default, 5 minutes). */
    cacheWrite1h: number | undefined;
  };
  outputTokens: {
    /** All output tokens, reasoning included. */
    total: number | undefined;
    /** Output tokens of visible text and tool calls. */
    text: number | undefined;
    /** Output tokens spent on reasoning / thinking (already inside `total`). */
    reasoning: number | undefined;
  };
  /** Tools the provider ran on its side and bills per use; absent when it reports none. */
  serverTools?: {
    /** Web searches run (Anthropic's `server_tool_use.web_search_requests`). */
    webSearchRequests: number | undefined;
  };
  /** The parts of the totals that are audio or image tokens, where the provider says. */
  modalities?: {
    inputAudio?: number;
    inputImage?: number;
    outputAudio?: number;
    outputImage?: number;
  };
  /** Where the numbers come from: the provider, our tokenizer, or nowhere. */
  source: UsageSource;
  /** The provider's own usage block, as received. */
  raw?: unknown;
}

/** reported: by the provider; estimated: by our tokenizer; unknown: no numbers at all. */
export type UsageSource = 'reported' | 'estimated' | 'unknown';

/** A usage with every count unknown. */
export function unknownUsage(): TokenUsage {
  return {
    inputTokens: {
      total: undefined,
      noCache: undefined,
      cacheRead: undefined,
      cacheWrite: undefined,
      cacheWrite1h: undefined,
    },
    outputTokens: { total: undefined, text: undefined, reasoning: undefined },
    source: 'unknown',
  };
}

/** Sum of two optional counts: unknown only when both are unknown. */
export function addCounts(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined && b === undefined ? undefined : (a ?? 0) + (b ?? 0);
}

/** Total tokens (input + output), or undefined when either side is unknown. */
export function totalTokens(usage: TokenUsage): number | undefined {
  const { total: input } = usage.inputTokens;
  const { total: output } = usage.outputTokens;
  return input === undefined || output === undefined ? undefined : input + output;
}
