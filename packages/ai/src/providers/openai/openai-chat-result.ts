import type { ChatCompletion } from 'openai/resources/chat/completions';
import type { ToolCall } from '../../types/chat-message.js';
import type { ChatChoice, ChatResult } from '../../types/chat-result.js';
import { convertOpenAIChatUsage, type OpenAIChatUsage } from './convert-openai-chat-usage.js';
import { mapOpenAIFinishReason } from './map-openai-finish-reason.js';
import type { ReasoningFields } from './openai-chat-stream-reader.js';

/** A ChatCompletion as our ChatResult: its first choice, every choice when there are several (`n`), and its usage. */
export function openAIChatResult(
  response: ChatCompletion,
  provider: string,
  requestModel: string,
  warnings: string[],
): ChatResult {
  const choices = [...(response.choices ?? [])].sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
  const choice = choices[0];
  const message = choice?.message as (ChatCompletion.Choice['message'] & ReasoningFields) | undefined;
  return {
    provider,
    model: response.model ?? requestModel,
    id: response.id,
    text: message?.content ?? '',
    toolCalls: toolCallsOf(choice),
    reasoning: message?.reasoning_content ?? message?.reasoning ?? undefined,
    finishReason: mapOpenAIFinishReason(choice?.finish_reason),
    usage: convertOpenAIChatUsage(response.usage as OpenAIChatUsage | undefined),
    warnings,
    ...(choices.length > 1 ? { choices: choices.map(toChoice) } : {}),
  };
}

function toChoice(choice: ChatCompletion.Choice): ChatChoice {
  return {
    text: choice.message?.content ?? '',
    toolCalls: toolCallsOf(choice),
    finishReason: mapOpenAIFinishReason(choice.finish_reason),
  };
}

function toolCallsOf(choice: ChatCompletion.Choice | undefined): ToolCall[] {
  return (choice?.message?.tool_calls ?? []).flatMap((call) =>
    call.type === 'function'
      ? [{ id: call.id, name: call.function.name, arguments: call.function.arguments }]
      : [],
  );
}
