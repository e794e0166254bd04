import type { CacheControl, ChatMessage, ReasoningPart, TextPart, ToolCall, UserContentPart } from '@aigw/ai';
import type { AnthropicMessageParam, MessagesRequest } from './messages.schemas.js';

type UserBlock = Extract<AnthropicMessageParam, { role: 'user' }>['content'][number];
type AssistantBlock = Extract<AnthropicMessageParam, { role: 'assistant' }>['content'][number];
type Marker = { type: 'ephemeral'; ttl?: '5m' | '1h' } | null | undefined;

/**
 * The system prompt and turns of a Messages request as our messages: system blocks and
 * every block's `cache_control` kept, tool results as tool messages (errors flagged),
 * tool_use blocks as the assistant's tool calls, thinking blocks (with their signatures)
 * as its reasoning. What moves or cannot be kept is added to `warnings`.
 */
export function convertAnthropicMessages(body: MessagesRequest, warnings: Set<string>): ChatMessage[] {
  const messages: ChatMessage[] = [];
  const system = convertSystem(body.system ?? []);
  if (system !== undefined) messages.push({ role: 'system', content: system });
  // Tool results name no tool; some providers want the name, so it comes from the call.
  const toolNames = new Map<string, string>();
  for (const [index, message] of body.messages.entries()) {
    if (message.role === 'user') messages.push(...convertUserTurn(message.content, toolNames));
    else {
      const assistant = convertAssistantTurn(message.content, toolNames);
      if (assistant.movedMarker) {
        warnings.add(`cache_control inside messages[${index}] was moved to the end of that assistant turn`);
      }
      if (assistant.message) messages.push(assistant.message);
    }
  }
  return messages;
}

/** Our breakpoint for a block's `cache_control`, spreadable (nothing when unset). */
export function cacheControlOf(marker: Marker): { cacheControl?: CacheControl } {
  if (!marker) return {};
  return { cacheControl: { type: 'ephemeral', ...(marker.ttl ? { ttl: marker.ttl } : {}) } };
}

/** One string while no block has a breakpoint (blocks joined by blank lines), else the blocks. */
function convertSystem(blocks: { text: string; cache_control?: Marker }[]): string | TextPart[] | undefined {
  if (blocks.some((block) => block.cache_control)) {
    return blocks.map((block) => ({
      type: 'text',
      text: block.text,
      ...cacheControlOf(block.cache_control),
    }));
  }
  const text = blocks.map((block) => block.text).join('\n\n');
  return text ? text : undefined;
}

/** Tool results first (they answer the previous assistant turn), then the user's own content. */
function convertUserTurn(blocks: UserBlock[], toolNames: Map<string, string>): ChatMessage[] {
  const out: ChatMessage[] = [];
  const parts: UserContentPart[] = [];
  for (const block of blocks) {
    if (block.type === 'tool_result') {
      const content = block.content ?? [];
      const name = toolNames.get(block.tool_use_id);
      // A breakpoint on a text block inside the result marks the result (its text is one string here).
      const marker = block.cache_control ?? content.findLast((b) => b.cache_control)?.cache_control;
      out.push({
        role: 'tool',
        toolCallId: block.tool_use_id,
        content: content.map((b) => b.text).join('\n'),
        ...(name ? { name } : {}),
        ...(block.is_error ? { isError: true } : {}),
        ...cacheControlOf(marker),
      });
    } else if (block.type === 'text') {
      parts.push({ type: 'text', text: block.text, ...cacheControlOf(block.cache_control) });
    } else if (block.source.type === 'url') {
      parts.push({ type: 'image', url: block.source.url, ...cacheControlOf(block.cache_control) });
    } else {
      parts.push({
        type: 'image',
        data: block.source.data,
        mediaType: block.source.media_type,
        ...cacheControlOf(block.cache_control),
      });
    }
  }
  const [only] = parts;
  if (parts.length === 1 && only?.type === 'text' && !only.cacheControl) {
    out.push({ role: 'user', content: only.text });
  } else if (parts.length) out.push({ role: 'user', content: parts });
  return out;
}

/**
 * Thinking first, then text and tool calls. Our assistant message has one breakpoint, on
 * its last block: a marker on another block moves there (`movedMarker`).
 */
function convertAssistantTurn(
  blocks: AssistantBlock[],
  toolNames: Map<string, string>,
): { message?: ChatMessage; movedMarker: boolean } {
  let text = '';
  const toolCalls: ToolCall[] = [];
  const reasoning: ReasoningPart[] = [];
  let marked: AssistantBlock | undefined;
  for (const block of blocks) {
    if (block.type === 'thinking') {
      reasoning.push({ type: 'reasoning', text: block.thinking, signature: block.signature });
    } else if (block.type === 'redacted_thinking') {
      reasoning.push({ type: 'redacted-reasoning', data: block.data });
    } else {
      if (block.cache_control) marked = block;
      if (block.type === 'text') text += block.text;
      else {
        toolNames.set(block.id, block.name);
        toolCalls.push({ id: block.id, name: block.name, arguments: JSON.stringify(block.input) });
      }
    }
  }
  if (!text && !toolCalls.length && !reasoning.length) return { movedMarker: false };
  // Our last block: the last tool call, else the (joined) text.
  const last = blocks.findLast((b) => b.type === (toolCalls.length ? 'tool_use' : 'text'));
  const marker = marked && 'cache_control' in marked ? marked.cache_control : undefined;
  return {
    message: {
      role: 'assistant',
      content: text || null,
      ...(toolCalls.length ? { toolCalls } : {}),
      ...(reasoning.length ? { reasoning } : {}),
      ...cacheControlOf(marker),
    },
    movedMarker: marked !== undefined && marked !== last,
  };
}
