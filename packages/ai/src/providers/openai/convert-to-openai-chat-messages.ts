import type {
  ChatCompletionContentPart,
  ChatCompletionContentPartText,
  ChatCompletionMessageParam,
} from 'openai/resources/chat/completions';
import type { CacheControl } from '../../types/cache-control.js';
import type { ChatMessage, TextPart, UserContentPart } from '../../types/chat-message.js';

/** What of the message format an OpenAI-format server takes beyond the basics. */
export interface OpenAIMessageDialect {
  /** It takes the `developer` role (else developer messages go as `system`). */
  developerRole: boolean;
  /** It takes `cache_control` on text parts (OpenRouter). */
  cacheControl: boolean;
}

/** Our messages in the Chat Completions format, and what of them could not be sent. */
export interface OpenAIChatMessages {
  messages: ChatCompletionMessageParam[];
  warnings: string[];
}

/** Text with OpenRouter's `cache_control` (not in OpenAI's types). */
type MarkedText = ChatCompletionContentPartText & { cache_control?: { type: 'ephemeral'; ttl?: string } };

export const CACHE_CONTROL_WARNING =
  'cache_control was not sent: OpenAI caches prompts automatically, with no breakpoints';

/**
 * Our messages in the OpenAI Chat Completions format (also spoken by every compatible
 * server). Tool errors are told in the text, as the format has no error flag; reasoning
 * of earlier turns has no place in it and is left out, with a warning.
 */
export function convertToOpenAIChatMessages(
  messages: ChatMessage[],
  dialect: OpenAIMessageDialect = { developerRole: true, cacheControl: false },
): OpenAIChatMessages {
  const warnings = new Set<string>();
  /** A text with its breakpoint where the server takes it; else the text alone, and a warning. */
  const marked = (text: string, cacheControl: CacheControl | undefined): MarkedText => {
    if (cacheControl && dialect.cacheControl) return { type: 'text', text, cache_control: cacheControl };
    if (cacheControl) warnings.add(CACHE_CONTROL_WARNING);
    return { type: 'text', text };
  };
  /** A string, unless a part keeps a breakpoint: then the parts. */
  const textContent = (content: string | TextPart[]): string | MarkedText[] => {
    if (typeof content === 'string') return content;
    const parts = content.map((part) => marked(part.text, part.cacheControl));
    return parts.some((part) => part.cache_control) ? parts : parts.map((part) => part.text).join('\n\n');
  };
  /** A breakpoint the server cannot take on this block. */
  const unmarked = (block: string) =>
    warnings.add(
      dialect.cacheControl
        ? `cache_control on ${block} was not sent: this server takes breakpoints on text parts only`
        : CACHE_CONTROL_WARNING,
    );
  const userPart = (part: UserContentPart): ChatCompletionContentPart => {
    if (part.type === 'text') return marked(part.text, part.cacheControl);
    if (part.cacheControl) unmarked('an image');
    const url = 'url' in part ? part.url : `data:${part.mediaType};base64,${part.data}`;
    return { type: 'image_url', image_url: { url, ...(part.detail ? { detail: part.detail } : {}) } };
  };

  const converted = messages.flatMap((message): ChatCompletionMessageParam[] => {
    const one = convert(message);
    return one ? [one] : [];
  });
  return { messages: converted, warnings: [...warnings] };

  /** A message in the format; undefined for an assistant turn that held reasoning alone. */
  function convert(message: ChatMessage): ChatCompletionMessageParam | undefined {
    switch (message.role) {
      case 'system':
        return { role: 'system', content: textContent(message.content) };
      case 'developer':
        return {
          role: dialect.developerRole ? 'developer' : 'system',
          content: textContent(message.content),
        };
      case 'user':
        return {
          role: 'user',
          content: typeof message.content === 'string' ? message.content : message.content.map(userPart),
        };
      case 'assistant': {
        if (message.reasoning?.length) {
          warnings.add(
            'reasoning of earlier assistant turns was not sent: Chat Completions has no place for it',
          );
        }
        const toolCalls = message.toolCalls ?? [];
        // Nothing of it is left: the format rejects an assistant message with neither text nor tool calls.
        if (!message.content && !toolCalls.length) return undefined;
        let content: string | MarkedText[] | null = message.content;
        // The breakpoint belongs to the message's last block: its text only when no tool call follows.
        if (message.cacheControl && message.content && !toolCalls.length) {
          const part = marked(message.content, message.cacheControl);
          if (part.cache_control) content = [part];
        } else if (message.cacheControl) {
          unmarked(toolCalls.length ? 'a tool call' : 'an assistant message without text');
        }
        return {
          role: 'assistant',
          content,
          ...(toolCalls.length
            ? {
                tool_calls: toolCalls.map((call) => ({
                  id: call.id,
                  type: 'function' as const,
                  function: { name: call.name, arguments: call.arguments },
                })),
              }
            : {}),
        };
      }
      case 'tool': {
        const text = message.isError ? `Error: ${message.content}` : message.content;
        const part = marked(text, message.cacheControl);
        return {
          role: 'tool',
          tool_call_id: message.toolCallId,
          content: part.cache_control ? [part] : text,
        };
      }
      default:
        throw new Error(`Unknown message role: ${(message as { role: string }).role}`);
    }
  }
}
