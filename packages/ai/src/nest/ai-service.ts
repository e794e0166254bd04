import { currentAiContext, nextAttempt } from '../pipeline/call-context-storage.js';
import type { CallInfo } from '../pipeline/call-interceptor.js';
import type { CallPipeline } from '../pipeline/call-pipeline.js';
import { prepend, primeStream } from '../pipeline/prime-stream.js';
import { uuidv7 } from '../pipeline/uuid-v7.js';
import type { ProviderRegistry, ResolvedModel, RouteTarget } from '../registry/provider-registry.js';
import { CircuitBreakers } from '../routing/circuit-breakers.js';
import { planAttempts } from '../routing/plan-attempts.js';
import { DEFAULT_RETRY_SETTINGS, type RetrySettings } from '../routing/retry-delay.js';
import { type RouteRunOptions, runRoute } from '../routing/run-route.js';
import type { CallContext } from '../types/call-context.js';
import type { ChatRequest } from '../types/chat-request.js';
import type { ChatResult } from '../types/chat-result.js';
import type { ChatStreamPart } from '../types/chat-stream-part.js';
import type { EmbedRequest, EmbedResult } from '../types/embedding.js';

/** A chat call as app code makes it: `model` is an alias, a catalog id or `provider/model`. */
export type AiChatRequest = ChatRequest;
/** An embeddings call as app code makes it. */
export type AiEmbedRequest = EmbedRequest;

/** How requests move across targets: the breakers, and the backoff between retries. */
export interface RoutingSettings {
  breakers: CircuitBreakers;
  backoff: Omit<RetrySettings, 'retries'>;
  random?: () => number;
}

/** One request's way through its targets. */
interface Route {
  plan: RouteTarget[];
  options: RouteRunOptions;
  /** The CallInfo of a new attempt on `target`. */
  attempt(target: RouteTarget): CallInfo;
}

/**
 * What app code injects: chat, stream and embed against any configured provider. A
 * model name may be an alias with several targets: the request fails over (or is
 * balanced) across them, with retries and circuit breakers; a stream fails over only
 * before its first part. Every attempt is one AIUsageLog row, all sharing the request id.
 */
export class AiService {
  constructor(
    readonly registry: ProviderRegistry,
    private readonly pipeline: CallPipeline,
    private readonly defaultUserId: string,
    readonly routing: RoutingSettings = { breakers: new CircuitBreakers(), backoff: DEFAULT_RETRY_SETTINGS },
  ) {}

  /** A chat completion; the result carries usage, cost and the request id of its rows. */
  async chat(request: AiChatRequest, context?: Partial<CallContext>): Promise<ChatResult> {
    const route = this.route(request.model, context, 'chat', false, request.signal);
    return runRoute(route.plan, route.options, (target, timeoutMs) =>
      this.pipeline.chat(route.attempt(target), withTarget(request, target, timeoutMs)),
    );
  }

  /** A chat stream: `start` (naming the provider), deltas, then `finish` with usage and cost. */
  async *stream(request: AiChatRequest, context?: Partial<CallContext>): AsyncIterable<ChatStreamPart> {
    const route = this.route(request.model, context, 'chat', true, request.signal);
    let provider = '';
    // Failing over is only possible until the first part: after it, the caller has bytes.
    const { first, rest } = await runRoute(route.plan, route.options, (target, timeoutMs) => {
      provider = target.provider.name;
      return primeStream(this.pipeline.stream(route.attempt(target), withTarget(request, target, timeoutMs)));
    });
    for await (const part of prepend(first, rest)) {
      yield part.type === 'start' ? { ...part, provider } : part;
    }
  }

  /** Embeddings, one vector per input. */
  async embed(request: AiEmbedRequest, context?: Partial<CallContext>): Promise<EmbedResult> {
    const route = this.route(request.model, context, 'embedding', false, request.signal);
    return runRoute(route.plan, route.options, (target, timeoutMs) =>
      this.pipeline.embed(route.attempt(target), withTarget(request, target, timeoutMs)),
    );
  }

  private route(
    model: string,
    explicit: Partial<CallContext> | undefined,
    requestType: CallInfo['requestType'],
    stream: boolean,
    signal: AbortSignal | undefined,
  ): Route {
    const context = this.contextFor(explicit);
    const resolved = this.registry.resolve(model);
    const definition = resolved.route;
    const fallbacks: ResolvedModel[] = (definition?.fallbacks ?? []).map((name) =>
      this.registry.resolve(name),
    );
    const requestId = context.requestId ?? uuidv7();
    let lastAttempt = 0;
    return {
      plan: planAttempts(resolved, fallbacks, this.routing.random),
      options: {
        retry: { ...this.routing.backoff, retries: definition?.retries ?? 0 },
        breakers: this.routing.breakers,
        attemptTimeoutMs: definition?.timeoutMs,
        deadline:
          definition?.requestTimeoutMs === undefined ? undefined : Date.now() + definition.requestTimeoutMs,
        signal,
        random: this.routing.random,
      },
      attempt: (target) => {
        lastAttempt = nextAttempt(requestId, lastAttempt);
        return {
          requestId,
          attempt: lastAttempt,
          context: { ...context, requestId },
          requestedModel: model,
          provider: target.provider,
          model: target.model,
          requestType,
          stream,
          startedAt: Date.now(),
        };
      },
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

/** The request as one target gets it: its model id, and the attempt's timeout unless the caller set one. */
function withTarget<R extends { model: string; timeoutMs?: number }>(
  request: R,
  target: RouteTarget,
  timeoutMs: number | undefined,
): R {
  const timeout = request.timeoutMs ?? timeoutMs;
  return { ...request, model: target.model, ...(timeout !== undefined ? { timeoutMs: timeout } : {}) };
}
