import type { ChatResult } from '@aigw/ai';
import { toOpenAIFinishReason, toOpenAIUsage } from './to-openai-usage.js';

/** Our ChatResult as an OpenAI `chat.completion` object. */
export function toOpenAICompletion(result: ChatResult, id: string) {
  return {
    id,
    object: 'chat.completion' as const,
    created: Math.floor(Date.now() / 1000),
    model: result.model,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant' as const,
          content: result.text || (result.toolCalls.length ? null : ''),
          refusal: null,
          ...(result.toolCalls.length
            ? {
                tool_calls: result.toolCalls.map((c) => ({
                  id: c.id,
                  type: 'function' as const,
                  function: { name: c.name, arguments: c.arguments },
                })),
              }
            : {}),
        },
        logprobs: null,
        finish_reason: toOpenAIFinishReason(result.finishReason.unified),
      },
    ],
    usage: toOpenAIUsage(result.usage),
  };
}
