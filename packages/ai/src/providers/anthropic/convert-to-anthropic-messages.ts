import type {
  Base64ImageSource,
  ContentBlockParam,
  MessageParam,
  TextBlockParam,
} from '@anthropic-ai/sdk/resources/messages';
import { BadRequestError } from '../../errors/index.js';
import type { ChatMessage, TextPart, ToolCall, UserContentPart } from '../../types/index.js';
import { anthropicCacheControl as cacheControl } from './anthropic-cache-control.js';

/** A conversation in Anthropic's shape: the system prompt apart, then alternating turns. */
export interface AnthropicPrompt {
  /**
   * All system and developer messages, in order: joined by blank lines, or as text
   * blocks when one of them carries a cache breakpoint; absent when there are none.
   */
  system?: string | TextBlockParam[];
  messages: MessageParam[];
  /** What of the messages Anthropic cannot take and was left out. */
  warnings: string[];
}

type Turn = { role: 'user' | 'assistant'; content: ContentBlockParam[] };

const IMAGE_MEDIA_TYPES = ['image/jpeg', 'image/png', 'image/gif', 'image/webp'] as const;

/**
 * Converts our messages to Anthropic's. System and developer messages (Anthropic has no
 * developer role) make the system prompt; tool results become `tool_result` blocks of a
 * user turn; signed reasoning becomes `thinking` blocks ahead of the assistant's text;
 * consecutive turns of one role merge into one, as Anthropic expects them to alternate.
 */
export function convertToAnthropicMessages(messages: ChatMessage[]): AnthropicPrompt {
  const system: TextBlockParam[] = [];
  const turns: Turn[] = [];
  const warnings = new Set<string>();
  const push = (role: Turn['role'], content: ContentBlockParam[]) => {
    if (content.length === 0) return;
    const last = turns.at(-1);
    if (last?.role === role) last.content.push(...content);
    else turns.push({ role, content });
  };

  for (const message of messages) {
    switch (message.role) {
      case 'system':
      case 'developer':
        system.push(...textBlocks(message.content));
        break;
      case 'user':
        push('user', convertUserContent(message.content, warnings));
        break;
      case 'assistant':
        push('assistant', convertAssistant(message, warnings));
        break;
      case 'tool':
        push('user', [
          {
            type: 'tool_result',
            tool_use_id: message.toolCallId,
            content: message.content,
            ...(message.isError ? { is_error: true } : {}),
            ...cacheControl(message.cacheControl),
          },
        ]);
        break;
    }
  }
  return { ...systemPrompt(system), messages: turns, warnings: [...warnings] };
}

/** A plain string while no block needs its own cache breakpoint (what most callers send). */
function systemPrompt(blocks: TextBlockParam[]): Pick<AnthropicPrompt, 'system'> {
  if (blocks.length === 0) return {};
  if (blocks.some((block) => block.cache_control)) return { system: blocks };
  return { system: blocks.map((block) => block.text).join('\n\n') };
}

function textBlocks(content: string | TextPart[]): TextBlockParam[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  return content.map((part) => ({ type: 'text', text: part.text, ...cacheControl(part.cacheControl) }));
}

function convertUserContent(content: string | UserContentPart[], warnings: Set<string>): ContentBlockParam[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  return content.map((part): ContentBlockParam => {
    if (part.type === 'text') return { type: 'text', text: part.text, ...cacheControl(part.cacheControl) };
    if (part.detail !== undefined) {
      warnings.add('image detail was not sent: Anthropic has no per-image detail setting');
    }
    const source: Base64ImageSource | { type: 'url'; url: string } =
      'url' in part
        ? { type: 'url', url: part.url }
        : { type: 'base64', media_type: imageMediaType(part.mediaType), data: part.data };
    return { type: 'image', source, ...cacheControl(part.cacheControl) };
  });
}

/** Signed reasoning first (Anthropic checks the signatures), then text, then tool calls. */
function convertAssistant(
  message: Extract<ChatMessage, { role: 'assistant' }>,
  warnings: Set<string>,
): ContentBlockParam[] {
  const blocks: ContentBlockParam[] = [];
  for (const part of message.reasoning ?? []) {
    if (part.type === 'redacted-reasoning') blocks.push({ type: 'redacted_thinking', data: part.data });
    else if (part.signature !== undefined) {
      blocks.push({ type: 'thinking', thinking: part.text, signature: part.signature });
    } else {
      warnings.add(
        'reasoning without a signature was not sent: Anthropic takes back only thinking it signed',
      );
    }
  }
  // Anthropic rejects empty text blocks; an assistant turn of tool calls often has none.
  if (message.content) blocks.push({ type: 'text', text: message.content });
  for (const call of message.toolCalls ?? []) {
    blocks.push({ type: 'tool_use', id: call.id, name: call.name, input: parseToolArguments(call) });
  }
  if (message.cacheControl) {
    const last = blocks.at(-1);
    if (last && (last.type === 'text' || last.type === 'tool_use'))
      Object.assign(last, cacheControl(message.cacheControl));
    else warnings.add('cache_control of an assistant message holding only reasoning was not sent');
  }
  return blocks;
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
