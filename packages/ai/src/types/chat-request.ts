import type { CacheControl } from './cache-control.js';
import type { ChatMessage } from './chat-message.js';
import type { NativeBody } from './native-body.js';

/** A tool the model may call, described by a JSON Schema of its arguments. */
export interface ToolDefinition {
  name: string;
  description?: string;
  /** JSON Schema of the arguments object. */
  parameters: Record<string, unknown>;
  /** A cache breakpoint after this tool's definition (tools come first in a prompt). */
  cacheControl?: CacheControl;
}

/** Which tool the model must (or must not) call. */
export type ToolChoice = 'auto' | 'none' | 'required' | { name: string };

/** Plain text, any JSON object, or JSON matching a schema. */
export type ResponseFormat =
  | { type: 'text' }
  | { type: 'json' }
  | { type: 'json-schema'; name: string; schema: Record<string, unknown>; strict?: boolean };

/** How hard a model should reason: OpenAI's effort levels, or Anthropic's thinking budget. */
export interface ReasoningSettings {
  /** `none` asks for no reasoning; `xhigh` and `max` exist on the newest models only. */
  effort?: 'none' | 'minimal' | 'low' | 'medium' | 'high' | 'xhigh' | 'max';
  /** Tokens the model may spend thinking (Anthropic's `thinking.budget_tokens`). */
  budgetTokens?: number;
}

/**
 * Fields for one provider's body, keyed by provider type (`openai`, `anthropic`,
 * `openai-compatible`) or registry name; merged into the body last, the name's after the type's.
 */
export type ProviderOptions = Record<string, Record<string, unknown>>;

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
  /** Sample only from the k most likely tokens, where a provider has it. */
  topK?: number;
  /** How many answers (choices) to generate; one when unset. */
  n?: number;
  /** Who the call is for, told to the provider (for its abuse checks). */
  metadata?: { userId?: string };
  /** Reasoning ("thinking") effort or budget; unset: the model's default. */
  reasoning?: ReasoningSettings;
  /** `false`: at most one tool call per answer. */
  parallelToolCalls?: boolean;
  /** Cancels the call (and its stream). */
  signal?: AbortSignal;
  /** Per-call timeout in milliseconds. */
  timeoutMs?: number;
  /**
   * Fields a provider's body gets as they are, by provider type or name, e.g.
   * `{ openai: { seed: 7 }, anthropic: { service_tier: 'auto' } }`.
   */
  providerOptions?: ProviderOptions;
  /**
   * The native lane: the caller's own body, for a provider that speaks its format (see
   * `IAIProvider.wireFormats`). The provider sends it as it is, but for `model`; the
   * prompt is then the body's, and `messages` is left empty.
   */
  native?: NativeBody;
}
