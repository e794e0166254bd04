import type { TokenUsage } from '@aigw/ai';

/** The usage block of a Responses API `Response`. */
export interface ResponsesUsage {
  input_tokens: number;
  input_tokens_details: { cached_tokens: number; cache_write_tokens: number };
  output_tokens: number;
  output_tokens_details: { reasoning_tokens: number };
  total_tokens: number;
}

/**
 * Our usage as a Response's `usage`: `input_tokens` is all input (cache reads and writes
 * included), `output_tokens` all output (reasoning included). The spec makes `usage`
 * optional but every count in it required, so: when the input or output total is unknown,
 * there is no `usage` at all (a made-up 0 would read as a real count); when only a detail
 * is unknown (Claude before API 2026-10-21 reports no thinking tokens, OpenAI-compatible
 * servers no cache writes), the detail is 0 — OpenAI's own "none reported" — and the
 * totals stay exact. The usage row keeps every unknown count unknown.
 */
export function toResponsesUsage(usage: TokenUsage): ResponsesUsage | undefined {
  const input = usage.inputTokens.total;
  const output = usage.outputTokens.total;
  if (input === undefined || output === undefined) return undefined;
  return {
    input_tokens: input,
    input_tokens_details: {
      cached_tokens: usage.inputTokens.cacheRead ?? 0,
      cache_write_tokens: usage.inputTokens.cacheWrite ?? 0,
    },
    output_tokens: output,
    output_tokens_details: { reasoning_tokens: usage.outputTokens.reasoning ?? 0 },
    total_tokens: input + output,
  };
}
