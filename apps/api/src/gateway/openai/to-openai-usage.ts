import type { TokenUsage } from '@aigw/ai';

/**
 * Our usage in OpenAI's usage block. The wire format wants integers, so unknown counts
 * are sent as 0 here; the usage row keeps them unknown (and marks estimates).
 */
export function toOpenAIUsage(usage: TokenUsage) {
  const prompt = usage.inputTokens.total ?? 0;
  const completion = usage.outputTokens.total ?? 0;
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: usage.inputTokens.cacheRead ?? 0 },
    completion_tokens_details: { reasoning_tokens: usage.outputTokens.reasoning ?? 0 },
  };
}

/** Our finish reason as OpenAI's `finish_reason`. */
export function toOpenAIFinishReason(unified: string): 'stop' | 'length' | 'tool_calls' | 'content_filter' {
  switch (unified) {
    case 'length':
      return 'length';
    case 'tool-calls':
      return 'tool_calls';
    case 'content-filter':
      return 'content_filter';
    default:
      return 'stop';
  }
}
