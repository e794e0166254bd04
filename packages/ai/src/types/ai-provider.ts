import type { ChatRequest } from './chat-request.js';
import type { ChatResult } from './chat-result.js';
import type { ChatStreamPart } from './chat-stream-part.js';
import type { EmbedRequest, EmbedResult } from './embedding.js';
import type { MediaKind, MediaRequest, MediaResult } from './media.js';
import type { ModelInfo } from './model-info.js';
import type { WireFormat } from './native-body.js';
import type { TokenCountRequest, TokenCountResult } from './token-count.js';

/** The result of a provider health check. */
export interface ProviderHealth {
  ok: boolean;
  latencyMs: number;
  /** Why it is not ok (never contains a key). */
  error?: string;
}

/**
 * One LLM provider. Implementations are stateless between calls: usage comes back with
 * each result and inside each stream's `finish` part. They throw AIError subclasses
 * only (see `errors/`), never an SDK's own errors.
 */
export interface IAIProvider {
  /** Registry name (`openai`, `anthropic`, `openrouter`, `local`, ...). */
  readonly name: string;
  /** Human name for lists and dashboards. */
  readonly displayName: string;
  /** `openai`, `anthropic` or `openai-compatible`. */
  readonly type: string;
  /** Wire formats whose requests (`request.native`) `chat` and `chatStream` send as they are. */
  readonly wireFormats?: readonly WireFormat[];
  /** Wire formats whose requests `countTokens` counts (absent or empty: it counts none). */
  readonly countFormats?: readonly WireFormat[];
  chat(request: ChatRequest): Promise<ChatResult>;
  /** Yields `start`, deltas, then `finish`; throws an AIError if the stream fails. */
  chatStream(request: ChatRequest): AsyncIterable<ChatStreamPart>;
  /**
   * Counts a prompt's input tokens, the request in one of `countFormats` (present only
   * where the provider has a count endpoint; a BadRequestError for any other format).
   * Free, and recorded nowhere.
   */
  countTokens?(request: TokenCountRequest): Promise<TokenCountResult>;
  /** Present only where the provider has embeddings. */
  embed?(request: EmbedRequest): Promise<EmbedResult>;
  /** The media calls `media` makes (images, transcription, translation, speech). */
  readonly mediaKinds?: readonly MediaKind[];
  /**
   * A media call in OpenAI's format; throws an AIError when the provider refuses it.
   * Present only where `mediaKinds` names some (each model's own capabilities say more).
   */
  media?(request: MediaRequest): Promise<MediaResult>;
  /** The models this provider offers, from the catalog. */
  listModels(): ModelInfo[];
  healthCheck(signal?: AbortSignal): Promise<ProviderHealth>;
}
