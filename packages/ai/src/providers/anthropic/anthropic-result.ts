import type { Message } from '@anthropic-ai/sdk/resources/messages';
import type { ReasoningPart, ToolCall } from '../../types/chat-message.js';
import type { ChatResult } from '../../types/chat-result.js';
import { convertAnthropicUsage } from './convert-anthropic-usage.js';
import { mapAnthropicFinishReason } from './map-anthropic-finish-reason.js';

/**
 * A Message as our ChatResult: text, thinking (as text, and as blocks with their
 * signatures for the next turn), tool calls, finish reason and usage.
 */
export function anthropicResult(
  message: Message,
  provider: string,
  requestModel: string,
  warnings: string[],
): ChatResult {
  const toolCalls: ToolCall[] = [];
  let text = '';
  let reasoning: string | undefined;
  const reasoningParts: ReasoningPart[] = [];
  for (const block of message.content ?? []) {
    if (block.type === 'text') text += block.text;
    else if (block.type === 'thinking') {
      reasoning = (reasoning ?? '') + block.thinking;
      reasoningParts.push({
        type: 'reasoning',
        text: block.thinking,
        ...(block.signature ? { signature: block.signature } : {}),
      });
    } else if (block.type === 'redacted_thinking') {
      reasoningParts.push({ type: 'redacted-reasoning', data: block.data });
    } else if (block.type === 'tool_use') {
      toolCalls.push({ id: block.id, name: block.name, arguments: JSON.stringify(block.input ?? {}) });
    }
  }
  return {
    provider,
    // Some Anthropic-format servers leave it out; a header and the row still need one.
    model: message.model ?? requestModel,
    id: message.id,
    text,
    toolCalls,
    ...(reasoning === undefined ? {} : { reasoning }),
    ...(reasoningParts.length ? { reasoningParts } : {}),
    finishReason: mapAnthropicFinishReason(message.stop_reason),
    usage: convertAnthropicUsage(message.usage),
    warnings,
  };
}
