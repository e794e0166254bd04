/** One part of a user message: text, or an image by URL or base64 data. */
export type UserContentPart =
  | { type: 'text'; text: string }
  | { type: 'image'; url: string }
  | { type: 'image'; data: string; mediaType: string };

/** A tool call the model made: `arguments` is the JSON text the model produced. */
export interface ToolCall {
  id: string;
  name: string;
  arguments: string;
}

/** A message of a conversation, in one shape for every provider. */
export type ChatMessage =
  | { role: 'system'; content: string }
  | { role: 'user'; content: string | UserContentPart[] }
  | { role: 'assistant'; content: string | null; toolCalls?: ToolCall[] }
  | { role: 'tool'; toolCallId: string; content: string; name?: string };
