import type { FinishReason, TokenUsage } from '@aigw/ai';

/** A usage block in Anthropic's format: `input_tokens` excludes cache reads and writes. */
export interface AnthropicUsage {
  input_tokens: number;
  cache_creation_input_tokens: number | null;
  cache_read_input_tokens: number | null;
  output_tokens: number;
}

/** Anthropic's stop reasons that our finish reasons map to. */
export type AnthropicStopReason = 'end_turn' | 'max_tokens' | 'tool_use' | 'refusal';

/**
 * Our usage in Anthropic's format. The format wants integers for input and output, so
 * unknown counts go out as 0 there (the usage row keeps them unknown); unknown cache
 * counts go out as null, which the format allows.
 */
export function toAnthropicUsage(usage: TokenUsage): AnthropicUsage {
  const { total, noCache, cacheRead, cacheWrite } = usage.inputTokens;
  const uncached =
    noCache ?? (total === undefined ? undefined : total - (cacheRead ?? 0) - (cacheWrite ?? 0));
  return {
    input_tokens: uncached ?? 0,
    cache_creation_input_tokens: cacheWrite ?? null,
    cache_read_input_tokens: cacheRead ?? null,
    output_tokens: usage.outputTokens.total ?? 0,
  };
}

/** Our finish reason as Anthropic's `stop_reason`. */
export function toAnthropicStopReason(reason: FinishReason['unified']): AnthropicStopReason {
  switch (reason) {
    case 'length':
      return 'max_tokens';
    case 'tool-calls':
      return 'tool_use';
    case 'content-filter':
      return 'refusal';
    default:
      return 'end_turn';
  }
}
