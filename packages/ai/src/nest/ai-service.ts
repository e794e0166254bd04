import { currentAiContext, nextAttempt } from '../pipeline/call-context-storage.js';
import type { CallInfo } from '../pipeline/call-interceptor.js';
import type { CallPipeline } from '../pipeline/call-pipeline.js';
import { uuidv7 } from '../pipeline/uuid-v7.js';
import type { ProviderRegistry } from '../registry/provider-registry.js';
import type { CallContext } from '../types/call-context.js';
import type { ChatRequest } from '../types/chat-request.js';
import type { ChatResult } from '../types/chat-result.js';
import type { ChatStreamPart } from '../types/chat-stream-part.js';
import type { EmbedRequest, EmbedResult } from '../types/embedding.js';

/** A chat call as app code makes it: `model` is an alias, a catalog id or `provider/model`. */
export type AiChatRequest = ChatRequest;
/** An embeddings call as app code makes it. */
export type AiEmbedRequest = EmbedRequest;

/**
 * What app code injects: chat, stream and embed against any configured provider. Every
 * call is recorded as an AIUsageLog row with its tokens and cost; the caller only says
 * who the call is for (or sets it once per request with `runWithAiContext`).
 */
export class AiService {
  constructor(
    readonly registry: ProviderRegistry,
    private readonly pipeline: CallPipeline,
    private readonly defaultUserId: string,
  ) {}

  /** A chat completion; the result carries usage, cost and the request id of its row. */
  async chat(request: AiChatRequest, context?: Partial<CallContext>): Promise<ChatResult> {
    const { call, providerRequest } = this.prepare(request, context, 'chat', false);
    return this.pipeline.chat(call, providerRequest);
  }

  /** A chat stream: `start`, deltas, then `finish` with usage and cost. */
  async *stream(request: AiChatRequest, context?: Partial<CallContext>): AsyncIterable<ChatStreamPart> {
    const { call, providerRequest } = this.prepare(request, context, 'chat', true);
    for await (const part of this.pipeline.stream(call, providerRequest)) {
      yield part.type === 'start' ? { ...part, provider: call.provider.name } : part;
    }
  }

  /** Embeddings, one vector per input. */
  async embed(request: AiEmbedRequest, context?: Partial<CallContext>): Promise<EmbedResult> {
    const { call, providerRequest } = this.prepare(request, context, 'embedding', false);
    return this.pipeline.embed(call, providerRequest);
  }

  private prepare<R extends { model: string }>(
    request: R,
    explicit: Partial<CallContext> | undefined,
    requestType: CallInfo['requestType'],
    stream: boolean,
  ): { call: CallInfo; providerRequest: R } {
    const context = this.contextFor(explicit);
    const resolved = this.registry.resolve(request.model);
    // Routing across several targets arrives with the routing layer; one target for now.
    const target = resolved.targets[0] as NonNullable<(typeof resolved.targets)[0]>;
    const requestId = context.requestId ?? uuidv7();
    const call: CallInfo = {
      requestId,
      attempt: nextAttempt(requestId),
      context: { ...context, requestId },
      requestedModel: request.model,
      provider: target.provider,
      model: target.model,
      requestType,
      stream,
      startedAt: Date.now(),
    };
    const timeoutMs = (request as { timeoutMs?: number }).timeoutMs ?? resolved.route?.timeoutMs;
    return {
      call,
      providerRequest: { ...request, model: target.model, ...(timeoutMs ? { timeoutMs } : {}) },
    };
  }

  private contextFor(explicit: Partial<CallContext> | undefined): CallContext {
    const implicit = currentAiContext();
    const merged = { ...implicit, ...explicit };
    return {
      ...merged,
      userId: merged.userId ?? this.defaultUserId,
      metadata: { ...implicit?.metadata, ...explicit?.metadata },
    };
  }
}
