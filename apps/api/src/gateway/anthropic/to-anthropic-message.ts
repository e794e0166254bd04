import type { ChatResult } from '@aigw/ai';
import {
  type AnthropicStopReason,
  type AnthropicUsage,
  toAnthropicStopReason,
  toAnthropicUsage,
} from './to-anthropic-usage.js';

/** A content block of an answer: text, or a call of one of the caller's tools. */
export type AnthropicContentBlock =
  | { type: 'text'; text: string }
  | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> };

/** An Anthropic Messages API answer (`type: 'message'`). */
export interface AnthropicMessage {
  id: string;
  type: 'message';
  role: 'assistant';
  /** The model the caller asked for. */
  model: string;
  content: AnthropicContentBlock[];
  stop_reason: AnthropicStopReason;
  stop_sequence: null;
  usage: AnthropicUsage;
}

/**
 * Our chat result as an Anthropic Message. Reasoning is left out: thinking blocks would
 * need a signature only Anthropic can make.
 */
export function toAnthropicMessage(
  result: ChatResult,
  options: { id: string; model: string },
): AnthropicMessage {
  const content: AnthropicContentBlock[] = [];
  // An answer of tool calls alone has no text block; any other answer has one, even empty.
  if (result.text || !result.toolCalls.length) content.push({ type: 'text', text: result.text });
  for (const call of result.toolCalls) {
    content.push({ type: 'tool_use', id: call.id, name: call.name, input: parseToolInput(call.arguments) });
  }
  return {
    id: options.id,
    type: 'message',
    role: 'assistant',
    model: options.model,
    content,
    stop_reason: toAnthropicStopReason(result.finishReason.unified),
    stop_sequence: null,
    usage: toAnthropicUsage(result.usage),
  };
}

/** A tool call's JSON arguments as Anthropic's `input` object; `{}` when they are not a JSON object. */
export function parseToolInput(json: string): Record<string, unknown> {
  try {
    const input: unknown = JSON.parse(json);
    if (typeof input === 'object' && input !== null && !Array.isArray(input)) {
      return input as Record<string, unknown>;
    }
  } catch {
    // Not JSON (a model's malformed arguments): the format wants an object all the same.
  }
  return {};
}
