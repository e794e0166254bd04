import type { ChatMessage, ImageDetail, TextPart, ToolCall, UserContentPart } from '@aigw/ai';
import { RequestValidationError } from '../../http/zod-validation.js';
import { decodeReasoning } from './reasoning-content.js';
import { type ResponseInputItem, responseInputItemSchema } from './responses.schemas.js';

type MessageItem = Extract<ResponseInputItem, { type: 'message' }>;
type ContentPart = MessageItem['content'][number];
type AssistantMessage = Extract<ChatMessage, { role: 'assistant' }>;

/** Where an item comes from: the request's `input[i]` (refused when untranslatable), or an earlier turn. */
interface Place {
  at: string;
  earlier: boolean;
}

/** Warning for reasoning items that carry no reasoning of ours. */
export const FOREIGN_REASONING_WARNING =
  "reasoning items without the gateway's encrypted_content were dropped: only reasoning this gateway returned can be replayed to the model";

/**
 * The conversation's items as our messages: `history` (earlier turns, in order, as
 * stored) then the request's `input`. Assistant text, function calls and reasoning that
 * follow one another make one assistant message (Anthropic needs a tool-use turn followed
 * by its results); reasoning comes from our own `encrypted_content` only. What cannot be
 * translated is a 400 naming the field when it is in `input`; in an earlier turn (which the
 * caller can no longer change, e.g. one an OpenAI model answered natively) it is left out
 * and named in `warnings`.
 */
export function convertResponsesItems(
  input: ResponseInputItem[],
  history: readonly Record<string, unknown>[],
  warnings: Set<string>,
): ChatMessage[] {
  const conversation = new Conversation(warnings);
  for (const stored of history) {
    const parsed = responseInputItemSchema.safeParse(stored);
    if (parsed.success) conversation.add(parsed.data, { at: 'an earlier turn', earlier: true });
    else {
      const type = typeof stored.type === 'string' ? `${stored.type} ` : '';
      warnings.add(`an earlier ${type}item was left out: it is not a valid input item`);
    }
  }
  input.forEach((item, i) => {
    conversation.add(item, { at: `input[${i}]`, earlier: false });
  });
  return conversation.messages();
}

class Conversation {
  private readonly out: ChatMessage[] = [];
  private pending: AssistantMessage | undefined;
  /** Function names by call id, for the tool results. */
  private readonly names = new Map<string, string>();

  constructor(private readonly warnings: Set<string>) {}

  add(item: ResponseInputItem, place: Place): void {
    switch (item.type) {
      case 'message':
        this.message(item, place);
        return;
      case 'function_call': {
        const call: ToolCall = { id: item.call_id, name: item.name, arguments: item.arguments };
        this.names.set(item.call_id, item.name);
        const assistant = this.assistant();
        assistant.toolCalls = [...(assistant.toolCalls ?? []), call];
        return;
      }
      case 'function_call_output':
        this.flush();
        this.out.push({
          role: 'tool',
          toolCallId: item.call_id,
          content: this.toolOutput(item.output, place),
          ...(this.names.has(item.call_id) ? { name: this.names.get(item.call_id) } : {}),
        });
        return;
      case 'reasoning': {
        const parts = decodeReasoning(item.encrypted_content);
        if (!parts) {
          this.warnings.add(FOREIGN_REASONING_WARNING);
          return;
        }
        const assistant = this.assistant();
        assistant.reasoning = [...(assistant.reasoning ?? []), ...parts];
        return;
      }
      case 'item_reference':
        this.untranslatable(
          place,
          place.at,
          'item_reference',
          `the item ${JSON.stringify(item.id)} was not resolved`,
        );
        return;
      default:
        this.untranslatable(
          place,
          `${place.at}.type`,
          `${item.type} item`,
          `${item.type} items cannot be translated for this model`,
        );
    }
  }

  messages(): ChatMessage[] {
    this.flush();
    return this.out;
  }

  private message(item: MessageItem, place: Place): void {
    switch (item.role) {
      case 'system':
      case 'developer':
        this.flush();
        this.out.push({ role: item.role, content: this.instructions(item.content, place) });
        return;
      case 'user': {
        this.flush();
        const parts = item.content.flatMap((part, j) => this.userPart(part, place, j));
        if (!parts.length) return; // Nothing left of it (an earlier turn's file, say).
        // One plain text is a string, as most callers write it.
        const only = parts.length === 1 ? parts[0] : undefined;
        const plain = only?.type === 'text' && !only.cacheControl;
        this.out.push({ role: 'user', content: plain ? only.text : parts });
        return;
      }
      case 'assistant': {
        const text = this.texts(item.content, place, 'an assistant message');
        if (!text) return;
        const assistant = this.assistant();
        assistant.content = assistant.content ? `${assistant.content}\n\n${text}` : text;
        return;
      }
    }
  }

  /** The assistant message being built from consecutive assistant items. */
  private assistant(): AssistantMessage {
    this.pending ??= { role: 'assistant', content: null };
    return this.pending;
  }

  private flush(): void {
    if (this.pending) this.out.push(this.pending);
    this.pending = undefined;
  }

  /** System and developer content: one string, or text parts when one carries a cache breakpoint. */
  private instructions(content: ContentPart[], place: Place): string | TextPart[] {
    if (!content.some(hasBreakpoint)) return this.texts(content, place, 'a system or developer message');
    return content.flatMap((part, j): TextPart[] => {
      const text = textOf(part);
      if (text !== undefined) return [{ type: 'text', text, ...cacheControlOf(part) }];
      this.untranslatable(
        place,
        `${place.at}.content[${j}]`,
        `${part.type} part`,
        `${part.type} cannot be part of a system or developer message`,
      );
      return [];
    });
  }

  /** The text of text parts, joined; other parts are untranslatable where text is expected. */
  private texts(parts: ContentPart[], place: Place, where: string): string {
    return parts
      .map((part, j) => {
        const text = textOf(part);
        if (text === undefined) {
          this.untranslatable(
            place,
            `${place.at}.content[${j}]`,
            `${part.type} part`,
            `${part.type} cannot be part of ${where}`,
          );
        }
        return text ?? '';
      })
      .join('');
  }

  private userPart(part: ContentPart, place: Place, j: number): UserContentPart[] {
    const at = `${place.at}.content[${j}]`;
    const text = textOf(part);
    if (text !== undefined) return [{ type: 'text', text, ...cacheControlOf(part) }];
    if (part.type === 'input_file') {
      this.untranslatable(place, at, 'input_file part', 'file input cannot be translated for this model');
      return [];
    }
    if (part.type !== 'input_image') return [];
    if (!part.image_url) {
      this.untranslatable(
        place,
        part.file_id ? `${at}.file_id` : `${at}.image_url`,
        'input_image part',
        part.file_id
          ? 'uploaded files cannot be translated for this model; send the image as image_url'
          : 'is required',
      );
      return [];
    }
    const detail = this.detail(part.detail);
    const extra = { ...(detail ? { detail } : {}), ...cacheControlOf(part) };
    const data = part.image_url.match(/^data:([^;,]+);base64,(.*)$/s);
    return data
      ? [{ type: 'image', mediaType: data[1] as string, data: data[2] as string, ...extra }]
      : [{ type: 'image', url: part.image_url, ...extra }];
  }

  private detail(detail: string | null | undefined): ImageDetail | undefined {
    if (detail === 'original') {
      this.warnings.add(
        "image detail 'original' was sent as 'high': the model has no original-resolution mode",
      );
      return 'high';
    }
    return detail === 'auto' || detail === 'low' || detail === 'high' ? detail : undefined;
  }

  private toolOutput(
    output: Extract<ResponseInputItem, { type: 'function_call_output' }>['output'],
    place: Place,
  ): string {
    if (typeof output === 'string') return output;
    return output
      .map((part, j) => {
        if (part.type === 'input_text') return part.text;
        this.untranslatable(
          place,
          `${place.at}.output[${j}]`,
          `${part.type} part of a function call output`,
          `${part.type} in a function call output cannot be translated for this model`,
        );
        return '';
      })
      .join('');
  }

  /**
   * A 400 naming the field for the request's own input; for an earlier turn, a warning
   * saying `what` was left out.
   */
  private untranslatable(place: Place, field: string, what: string, why: string): void {
    if (!place.earlier) throw new RequestValidationError([`${field}: ${why}`]);
    this.warnings.add(`${what} of an earlier turn was left out: ${why}`);
  }
}

function textOf(part: ContentPart): string | undefined {
  switch (part.type) {
    case 'input_text':
    case 'output_text':
      return part.text;
    case 'refusal':
      // A refusal is what the assistant said: it stays in the conversation as its text.
      return part.refusal;
    default:
      return undefined;
  }
}

function hasBreakpoint(part: ContentPart): boolean {
  return 'prompt_cache_breakpoint' in part && part.prompt_cache_breakpoint != null;
}

/**
 * OpenAI's explicit prompt-cache breakpoint as ours. Its TTL comes from the request's
 * `prompt_cache_options`, which no other provider has: it becomes a plain breakpoint.
 */
function cacheControlOf(part: ContentPart): { cacheControl?: { type: 'ephemeral' } } {
  return hasBreakpoint(part) ? { cacheControl: { type: 'ephemeral' } } : {};
}
