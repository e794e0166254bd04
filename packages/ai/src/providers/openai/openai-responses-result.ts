import type { ToolCall } from '../../types/chat-message.js';
import type { ChatResult } from '../../types/chat-result.js';
import { convertOpenAIResponsesUsage, type OpenAIResponsesUsage } from './convert-openai-responses-usage.js';
import { mapOpenAIResponsesFinishReason } from './map-openai-responses-finish-reason.js';

/** An item of a Response's `output`, as far as the gateway reads it. */
export interface OpenAIResponseItem {
  type?: string;
  id?: string;
  /** A message's parts (`output_text`, `refusal`), or a reasoning item's `reasoning_text` parts. */
  content?: { type?: string; text?: string }[] | null;
  /** A reasoning item's summary parts. */
  summary?: { type?: string; text?: string }[] | null;
  /** A function call's id, name and JSON arguments. */
  call_id?: string;
  name?: string;
  arguments?: string;
}

/** A Responses API `Response` object, as far as the gateway reads it (the rest goes on untouched). */
export interface OpenAIResponseObject {
  id?: string;
  model?: string;
  status?: string | null;
  incomplete_details?: { reason?: string | null } | null;
  error?: { code?: string | null; message?: string | null } | null;
  output?: OpenAIResponseItem[] | null;
  usage?: OpenAIResponsesUsage | null;
}

/**
 * A Response as our ChatResult: the text of its messages' `output_text` parts, its
 * function calls, the reasoning it shows (summaries, or reasoning text), and its usage.
 */
export function openAIResponsesResult(
  response: OpenAIResponseObject,
  provider: string,
  requestModel: string,
): ChatResult {
  const output = response.output ?? [];
  const toolCalls = toolCallsOf(output);
  const reasoning = output
    .filter((item) => item.type === 'reasoning')
    .flatMap((item) => [...(item.summary ?? []), ...(item.content ?? [])])
    .flatMap((part) => (typeof part.text === 'string' && part.text ? [part.text] : []));
  return {
    provider,
    model: response.model ?? requestModel,
    ...(response.id !== undefined ? { id: response.id } : {}),
    text: output
      .filter((item) => item.type === 'message')
      .flatMap((item) => item.content ?? [])
      .flatMap((part) => (part.type === 'output_text' && typeof part.text === 'string' ? [part.text] : []))
      .join(''),
    toolCalls,
    ...(reasoning.length ? { reasoning: reasoning.join('\n\n') } : {}),
    finishReason: mapOpenAIResponsesFinishReason(
      response.status,
      response.incomplete_details?.reason,
      toolCalls.length > 0,
    ),
    usage: convertOpenAIResponsesUsage(response.usage),
    warnings: [],
  };
}

/** The function calls among a Response's output items. */
export function toolCallsOf(output: OpenAIResponseItem[]): ToolCall[] {
  return output.flatMap((item) =>
    item.type === 'function_call'
      ? [{ id: item.call_id ?? item.id ?? '', name: item.name ?? '', arguments: item.arguments ?? '' }]
      : [],
  );
}
