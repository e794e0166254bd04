import type { CacheControl, ChatMessage, TextPart, ToolCall, UserContentPart } from '@aigw/ai';
import { RequestValidationError } from '../../http/zod-validation.js';
import type { ChatCompletionRequest } from './chat-completions.schemas.js';

type OpenAIMessage = ChatCompletionRequest['messages'][number];
type Marks = {
  prompt_cache_breakpoint?: { mode: 'explicit' } | undefined;
  cache_control?: { type: 'ephemeral'; ttl?: '5m' | '1h' } | null | undefined;
};
type OpenAITextPart = { type: 'text'; text: string } & Marks;

/**
 * Chat Completions messages as ours: `developer` kept, content parts with their cache
 * breakpoints and image `detail`. What our model cannot carry (audio and file inputs,
 * custom tool calls, the deprecated function calling) is a 400 naming the field; message
 * `name`s, which no other provider has, are named in `warnings`.
 */
export function convertOpenAIMessages(messages: OpenAIMessage[], warnings: Set<string>): ChatMessage[] {
  return messages.map((message, index) => convertMessage(message, `messages[${index}]`, warnings));
}

function convertMessage(message: OpenAIMessage, at: string, warnings: Set<string>): ChatMessage {
  if (message.role === 'function') {
    throw untranslatable(
      `${at}.role`,
      'function messages (deprecated) cannot be translated; use tool messages',
    );
  }
  if ('name' in message && message.name !== undefined) {
    warnings.add('message names were not passed on: the provider has no per-message name');
  }
  switch (message.role) {
    case 'system':
    case 'developer':
      return { role: message.role, content: instructions(message.content) };
    case 'user':
      return {
        role: 'user',
        content:
          typeof message.content === 'string'
            ? message.content
            : message.content.map((part, j) => userPart(part, `${at}.content[${j}]`)),
      };
    case 'assistant':
      return assistant(message, at);
    case 'tool': {
      const parts = typeof message.content === 'string' ? [] : message.content;
      const marker = parts.map(cacheControlOf).findLast((m) => m !== undefined);
      return {
        role: 'tool',
        toolCallId: message.tool_call_id,
        content: text(message.content),
        ...(marker ? { cacheControl: marker } : {}),
      };
    }
  }
}

/**
 * A part's breakpoint as ours. OpenAI's `prompt_cache_breakpoint` takes its TTL from the
 * request's `prompt_cache_options` (30 minutes), which no other provider has: it becomes
 * a plain breakpoint (Anthropic: 5 minutes).
 */
export function cacheControlOf(part: Marks): CacheControl | undefined {
  if (part.cache_control) {
    return { type: 'ephemeral', ...(part.cache_control.ttl ? { ttl: part.cache_control.ttl } : {}) };
  }
  return part.prompt_cache_breakpoint ? { type: 'ephemeral' } : undefined;
}

const text = (content: string | { text: string }[] | null | undefined): string =>
  typeof content === 'string' ? content : (content ?? []).map((p) => p.text).join('');

/** One string while no part has a breakpoint (parts are one text to OpenAI), else the parts. */
function instructions(content: string | OpenAITextPart[]): string | TextPart[] {
  if (typeof content === 'string' || !content.some((part) => cacheControlOf(part))) return text(content);
  return content.map((part) => {
    const marker = cacheControlOf(part);
    return { type: 'text', text: part.text, ...(marker ? { cacheControl: marker } : {}) };
  });
}

type UserPart = Exclude<Extract<OpenAIMessage, { role: 'user' }>['content'], string>[number];

function userPart(part: UserPart, at: string): UserContentPart {
  const marker = cacheControlOf(part);
  const cache = marker ? { cacheControl: marker } : {};
  switch (part.type) {
    case 'text':
      return { type: 'text', text: part.text, ...cache };
    case 'image_url': {
      const detail = part.image_url.detail ? { detail: part.image_url.detail } : {};
      const data = part.image_url.url.match(/^data:([^;,]+);base64,(.*)$/s);
      return data
        ? { type: 'image', mediaType: data[1] as string, data: data[2] as string, ...detail, ...cache }
        : { type: 'image', url: part.image_url.url, ...detail, ...cache };
    }
    case 'input_audio':
      throw untranslatable(at, 'audio input cannot be translated for this model');
    case 'file':
      throw untranslatable(at, 'file input cannot be translated for this model');
  }
}

function assistant(message: Extract<OpenAIMessage, { role: 'assistant' }>, at: string): ChatMessage {
  if (message.function_call) {
    throw untranslatable(
      `${at}.function_call`,
      'function_call (deprecated) cannot be translated; use tool_calls',
    );
  }
  if (message.audio) throw untranslatable(`${at}.audio`, 'an earlier audio answer cannot be translated');
  const toolCalls = (message.tool_calls ?? []).map((call, j): ToolCall => {
    if (call.type !== 'function') {
      throw untranslatable(`${at}.tool_calls[${j}]`, 'custom tool calls cannot be translated for this model');
    }
    return { id: call.id, name: call.function.name, arguments: call.function.arguments };
  });
  const parts = Array.isArray(message.content) ? message.content : [];
  // A refusal is what the assistant said: it stays in the conversation as its text.
  const said =
    typeof message.content === 'string'
      ? message.content
      : parts.map((p) => (p.type === 'text' ? p.text : p.refusal)).join('');
  const content = said || message.refusal || null;
  const marker = parts.map((p) => (p.type === 'text' ? cacheControlOf(p) : undefined)).findLast(Boolean);
  return {
    role: 'assistant',
    content,
    ...(toolCalls.length ? { toolCalls } : {}),
    ...(marker ? { cacheControl: marker } : {}),
  };
}

function untranslatable(field: string, why: string): RequestValidationError {
  return new RequestValidationError([`${field}: ${why}`]);
}
