import type { ChatChoice, ChatResult } from '@aigw/ai';
import { toOpenAIFinishReason, toOpenAIUsage } from './to-openai-usage.js';

/** Our ChatResult as an OpenAI `chat.completion` object: every choice when several came back (`n`). */
export function toOpenAICompletion(result: ChatResult, id: string) {
  const choices: ChatChoice[] = result.choices ?? [result];
  return {
    id,
    object: 'chat.completion' as const,
    created: Math.floor(Date.now() / 1000),
    model: result.model,
    choices: choices.map((choice, index) => ({
      index,
      message: {
        role: 'assistant' as const,
        content: choice.text || (choice.toolCalls.length ? null : ''),
        refusal: null,
        ...(choice.toolCalls.length
          ? {
              tool_calls: choice.toolCalls.map((c) => ({
                id: c.id,
                type: 'function' as const,
                function: { name: c.name, arguments: c.arguments },
              })),
            }
          : {}),
      },
      logprobs: null,
      finish_reason: toOpenAIFinishReason(choice.finishReason.unified),
    })),
    usage: toOpenAIUsage(result.usage),
  };
}
