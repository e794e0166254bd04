import type {
  Base64ImageSource,
  ContentBlockParam,
  MessageParam,
  ToolUseBlockParam,
} from '@anthropic-ai/sdk/resources/messages';
import { BadRequestError } from '../../errors/index.js';
import type { ChatMessage, ToolCall, UserContentPart } from '../../types/index.js';

/** A conversation in Anthropic's shape: the system prompt apart, then alternating turns. */
export interface AnthropicPrompt {
  /** All system messages, in order, joined by blank lines; absent when there are none. */
  system?: string;
  messages: MessageParam[];
}

type Turn = { role: 'user' | 'assistant'; content: ContentBlockParam[] };

const IMAGE_MEDIA_TYPES = ['image/jpeg', 'image/png', 'image/gif', 'image/webp'] as const;

/**
 * Converts our messages to Anthropic's. Tool results become `tool_result` blocks of a
 * user turn, and consecutive turns of one role merge into one, since Anthropic expects
 * user and assistant turns to alternate.
 */
export function convertToAnthropicMessages(messages: ChatMessage[]): AnthropicPrompt {
  const system: string[] = [];
  const turns: Turn[] = [];
  const push = (role: Turn['role'], content: ContentBlockParam[]) => {
    if (content.length === 0) return;
    const last = turns.at(-1);
    if (last?.role === role) last.content.push(...content);
    else turns.push({ role, content });
  };

  for (const message of messages) {
    switch (message.role) {
      case 'system':
        system.push(message.content);
        break;
      case 'user':
        push('user', convertUserContent(message.content));
        break;
      case 'assistant':
        push('assistant', [
          // Anthropic rejects empty text blocks; an assistant turn of tool calls often has none.
          ...(message.content ? [{ type: 'text' as const, text: message.content }] : []),
          ...(message.toolCalls ?? []).map(convertToolCall),
        ]);
        break;
      case 'tool':
        push('user', [{ type: 'tool_result', tool_use_id: message.toolCallId, content: message.content }]);
        break;
    }
  }
  return { ...(system.length > 0 ? { system: system.join('\n\n') } : {}), messages: turns };
}

function convertUserContent(content: string | UserContentPart[]): ContentBlockParam[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  return content.map((part): ContentBlockParam => {
    if (part.type === 'text') return { type: 'text', text: part.text };
    if ('url' in part) return { type: 'image', source: { type: 'url', url: part.url } };
    return {
      type: 'image',
      source: { type: 'base64', media_type: imageMediaType(part.mediaType), data: part.data },
    };
  });
}

function imageMediaType(mediaType: string): Base64ImageSource['media_type'] {
  const known = IMAGE_MEDIA_TYPES.find((type) => type === mediaType.toLowerCase());
  if (!known) {
    throw new BadRequestError(
      `anthropic: image type ${mediaType} is not supported (${IMAGE_MEDIA_TYPES.join(', ')})`,
    );
  }
  return known;
}

function convertToolCall(call: ToolCall): ToolUseBlockParam {
  return { type: 'tool_use', id: call.id, name: call.name, input: parseToolArguments(call) };
}

function parseToolArguments(call: ToolCall): Record<string, unknown> {
  // A call without arguments streams no input JSON at all: its accumulated text is empty.
  if (call.arguments.trim() === '') return {};
  let input: unknown;
  try {
    input = JSON.parse(call.arguments);
  } catch {
    throw new BadRequestError(
      `anthropic: the arguments of tool call ${call.id} (${call.name}) are not valid JSON`,
    );
  }
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new BadRequestError(
      `anthropic: the arguments of tool call ${call.id} (${call.name}) must be a JSON object`,
    );
  }
  return input as Record<string, unknown>;
}
