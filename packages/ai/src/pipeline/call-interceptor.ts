import type { IAIProvider } from '../types/ai-provider.js';
import type { CallContext } from '../types/call-context.js';
import type { ChatRequest } from '../types/chat-request.js';
import type { ChatResult } from '../types/chat-result.js';
import type { ChatStreamPart } from '../types/chat-stream-part.js';
import type { EmbedRequest, EmbedResult } from '../types/embedding.js';
import type { MediaKind, MediaRequest, MediaResult } from '../types/media.js';

/** One provider call (one attempt) as interceptors see it. */
export interface CallInfo {
  requestId: string;
  attempt: number;
  context: CallContext;
  /** The model name the caller asked for (alias, catalog id or provider/model). */
  requestedModel: string;
  provider: IAIProvider;
  /** The provider's model id. */
  model: string;
  /** `responses`: a chat call made through the Responses API (`POST /v1/responses`). */
  requestType: 'chat' | 'embedding' | 'responses' | MediaKind;
  stream: boolean;
  /** Epoch ms when the attempt started. */
  startedAt: number;
}

/**
 * Wraps provider calls (as the Vercel AI SDK's middleware wraps a model): recording,
 * limits and metrics live here, so providers know nothing of them.
 */
export interface CallInterceptor {
  wrapChat?(
    call: CallInfo,
    request: ChatRequest,
    next: (request: ChatRequest) => Promise<ChatResult>,
  ): Promise<ChatResult>;
  wrapStream?(
    call: CallInfo,
    request: ChatRequest,
    next: (request: ChatRequest) => AsyncIterable<ChatStreamPart>,
  ): AsyncIterable<ChatStreamPart>;
  wrapEmbed?(
    call: CallInfo,
    request: EmbedRequest,
    next: (request: EmbedRequest) => Promise<EmbedResult>,
  ): Promise<EmbedResult>;
  /**
   * A media call. The result comes back when the provider has answered; what the call used
   * comes later, in `result.outcome` (once its body has been read): chain on it.
   */
  wrapMedia?(
    call: CallInfo,
    request: MediaRequest,
    next: (request: MediaRequest) => Promise<MediaResult>,
  ): Promise<MediaResult>;
}
