import type { CacheControl } from './cache-control.js';

/** A text block, with an optional prompt-cache breakpoint after it. */
export interface TextPart {
  type: 'text';
  text: string;
  cacheControl?: CacheControl;
}

/** How closely a vision model looks at an image (OpenAI's `detail`). */
export type ImageDetail = 'auto' | 'low' | 'high';

/** One part of a user message: text, or an image by URL or base64 data. */
export type UserContentPart =
  | TextPart
  | { type: 'image'; url: string; detail?: ImageDetail; cacheControl?: CacheControl }
  | { type: 'image'; data: string; mediaType: string; detail?: ImageDetail; cacheControl?: CacheControl };

/**
 * A model's reasoning from an earlier turn, kept so a conversation replays as it was:
 * readable text with the provider's `signature` (Anthropic verifies it), or reasoning
 * the provider returned encrypted (`data`).
 */
export type ReasoningPart =
  | { type: 'reasoning'; text: string; signature?: string }
  | { type: 'redacted-reasoning'; data: string };

/** A tool call the model made: `arguments` is the JSON text the model produced. */
export interface ToolCall {
  id: string;
  name: string;
  arguments: string;
}

/** A message of a conversation, in one shape for every provider. */
export type ChatMessage =
  | { role: 'system'; content: string | TextPart[] }
  /** Instructions from the app's developer (OpenAI's `developer` role; a system prompt elsewhere). */
  | { role: 'developer'; content: string | TextPart[] }
  | { role: 'user'; content: string | UserContentPart[] }
  | {
      role: 'assistant';
      content: string | null;
      toolCalls?: ToolCall[];
      /** Reasoning that came before the text and tool calls, in order. */
      reasoning?: ReasoningPart[];
      /** A cache breakpoint on the message's last block (its last tool call, or its text). */
      cacheControl?: CacheControl;
    }
  | {
      role: 'tool';
      toolCallId: string;
      content: string;
      name?: string;
      /** The tool failed; `content` says how. */
      isError?: boolean;
      cacheControl?: CacheControl;
    };
