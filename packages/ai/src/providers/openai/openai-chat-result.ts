import type { ChatCompletion } from 'openai/resources/chat/completions';
import type { ChatResult } from '../../types/chat-result.js';
import { convertOpenAIChatUsage, type OpenAIChatUsage } from './convert-openai-chat-usage.js';
import { mapOpenAIFinishReason } from './map-openai-finish-reason.js';
import type { ReasoningFields } from './openai-chat-stream-reader.js';

/** A ChatCompletion as our ChatResult (its first choice), with its usage. */
export function openAIChatResult(
  response: ChatCompletion,
  provider: string,
  requestModel: string,
  warnings: string[],
): ChatResult {
  const choice = response.choices?.[0];
  const message = choice?.message as (ChatCompletion.Choice['message'] & ReasoningFields) | undefined;
  return {
    provider,
    model: response.model ?? requestModel,
    id: response.id,
    text: message?.content ?? '',
    toolCalls: (message?.tool_calls ?? []).flatMap((call) =>
      call.type === 'function'
        ? [{ id: call.id, name: call.function.name, arguments: call.function.arguments }]
        : [],
    ),
    reasoning: message?.reasoning_content ?? message?.reasoning ?? undefined,
    finishReason: mapOpenAIFinishReason(choice?.finish_reason),
    usage: convertOpenAIChatUsage(response.usage as OpenAIChatUsage | undefined),
    warnings,
  };
}
