import type { Message } from '@anthropic-ai/sdk/resources/messages';
import type { ToolCall } from '../../types/chat-message.js';
import type { ChatResult } from '../../types/chat-result.js';
import { convertAnthropicUsage } from './convert-anthropic-usage.js';
import { mapAnthropicFinishReason } from './map-anthropic-finish-reason.js';

/** A Message as our ChatResult: text, thinking, tool calls, finish reason and usage. */
export function anthropicResult(
  message: Message,
  provider: string,
  requestModel: string,
  warnings: string[],
): ChatResult {
  const toolCalls: ToolCall[] = [];
  let text = '';
  let reasoning: string | undefined;
  for (const block of message.content ?? []) {
    if (block.type === 'text') text += block.text;
    else if (block.type === 'thinking') reasoning = (reasoning ?? '') + block.thinking;
    else if (block.type === 'tool_use') {
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
    finishReason: mapAnthropicFinishReason(message.stop_reason),
    usage: convertAnthropicUsage(message.usage),
    warnings,
  };
}
