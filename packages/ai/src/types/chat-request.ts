import type { ChatMessage } from './chat-message.js';
import type { NativeBody } from './native-body.js';

/** A tool the model may call, described by a JSON Schema of its arguments. */
export interface ToolDefinition {
  name: string;
  description?: string;
  /** JSON Schema of the arguments object. */
  parameters: Record<string, unknown>;
}

/** Which tool the model must (or must not) call. */
export type ToolChoice = 'auto' | 'none' | 'required' | { name: string };

/** Plain text, any JSON object, or JSON matching a schema. */
export type ResponseFormat =
  | { type: 'text' }
  | { type: 'json' }
  | { type: 'json-schema'; name: string; schema: Record<string, unknown>; strict?: boolean };

/** A chat call to one provider model. */
export interface ChatRequest {
  /** The provider's own model id. */
  model: string;
  messages: ChatMessage[];
  tools?: ToolDefinition[];
  toolChoice?: ToolChoice;
  responseFormat?: ResponseFormat;
  temperature?: number;
  maxTokens?: number;
  topP?: number;
  stop?: string[];
  /** Cancels the call (and its stream). */
  signal?: AbortSignal;
  /** Per-call timeout in milliseconds. */
  timeoutMs?: number;
  /** Fields passed through to the provider's body as they are (e.g. `user`, `seed`). */
  providerOptions?: Record<string, unknown>;
  /**
   * The native lane: the caller's own body, for a provider that speaks its format (see
   * `IAIProvider.wireFormats`). The provider sends it as it is, but for `model`; the
   * prompt is then the body's, and `messages` is left empty.
   */
  native?: NativeBody;
}
