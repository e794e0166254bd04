import { AIError } from '../errors/ai-error.js';
import { BadRequestError, ModelNotFoundError } from '../errors/errors.js';
import { currentAiContext, nextAttempt } from '../pipeline/call-context-storage.js';
import type { CallInfo } from '../pipeline/call-interceptor.js';
import type { CallPipeline } from '../pipeline/call-pipeline.js';
import { prepend, primeStream } from '../pipeline/prime-stream.js';
import { uuidv7 } from '../pipeline/uuid-v7.js';
import type { ProviderRegistry, ResolvedModel, RouteTarget } from '../registry/provider-registry.js';
import { checkAllowedModels } from '../routing/check-allowed-models.js';
import { CircuitBreakers } from '../routing/circuit-breakers.js';
import { planAttempts } from '../routing/plan-attempts.js';
import { DEFAULT_RETRY_SETTINGS, type RetrySettings } from '../routing/retry-delay.js';
import { type RouteRunOptions, runRoute } from '../routing/run-route.js';
import type { CallContext } from '../types/call-context.js';
import type { ChatRequest } from '../types/chat-request.js';
import type { ChatResult } from '../types/chat-result.js';
import type { ChatStreamPart } from '../types/chat-stream-part.js';
import type { EmbedRequest, EmbedResult } from '../types/embedding.js';
import { MEDIA_KIND_NAMES, type MediaKind, type MediaRequest, type MediaResult } from '../types/media.js';
import type { ModelCapabilities } from '../types/model-info.js';
import type { NativeBody } from '../types/native-body.js';
import type { TokenCountResult } from '../types/token-count.js';
import { estimateNativePromptTokens } from '../usage/estimate-native-tokens.js';
import {
  type AudioInput,
  type MediaAnswer,
  type MediaFields,
  mediaFileOf,
  readMediaAnswer,
  withoutModel,
} from './media-answer.js';

/** A chat call as app code makes it: `model` is an alias, a catalog id or `provider/model`. */
export type AiChatRequest = ChatRequest;

/**
 * A REST caller's chat request in its own wire format. A target whose provider speaks
 * that format gets the body as it is (the native lane); any other target gets the
 * translation, made once, on the first such target.
 */
export interface AiWireRequest {
  /** What the caller asked for: an alias, a catalog id or `provider/model`. */
  model: string;
  native: NativeBody;
  /**
   * The request as a ChatRequest, for targets that do not speak the format, and what of
   * it could not be carried over (kept on the usage rows); may throw on bad input.
   */
  translate: () => { request: ChatRequest; warnings: string[] };
  /** The most output tokens the caller allows (from its body), for budget reservations. */
  maxTokens?: number;
  signal?: AbortSignal;
  /** What the usage rows call the request: `responses` for the Responses API (default `chat`). */
  requestType?: 'chat' | 'responses';
  /**
   * The native body for a target's provider, by its name, when it differs from `native`
   * (e.g. `previous_response_id` only for the provider that holds that response, the
   * history written out for the others); undefined: `native`.
   */
  nativeFor?: (providerName: string) => NativeBody | undefined;
}
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
  /** The CallInfo of a new attempt on `target`; `warnings` (what its request could not carry) go on its row. */
  attempt(target: RouteTarget, warnings?: string[]): CallInfo;
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

  /**
   * A chat completion; the result carries usage, cost and the request id of its rows. A
   * wire request answered natively carries the provider's own answer in `native`.
   */
  async chat(request: AiChatRequest | AiWireRequest, context?: Partial<CallContext>): Promise<ChatResult> {
    const route = this.route(request.model, context, requestTypeOf(request), false, request.signal);
    const forTarget = requestForTarget(request);
    return runRoute(route.plan, route.options, (target, timeoutMs) => {
      const { request: targetRequest, warnings } = forTarget(target, timeoutMs);
      return this.pipeline.chat(route.attempt(target, warnings), targetRequest);
    });
  }

  /**
   * A chat stream: `start` (naming the provider), deltas, then `finish` with usage and
   * cost. A wire request streamed natively says so in `start`, and its bytes come as `raw` parts.
   */
  async *stream(
    request: AiChatRequest | AiWireRequest,
    context?: Partial<CallContext>,
  ): AsyncIterable<ChatStreamPart> {
    const route = this.route(request.model, context, requestTypeOf(request), true, request.signal);
    const forTarget = requestForTarget(request);
    let provider = '';
    // Failing over is only possible until the first part: after it, the caller has bytes.
    const { first, rest } = await runRoute(route.plan, route.options, (target, timeoutMs) => {
      provider = target.provider.name;
      const { request: targetRequest, warnings } = forTarget(target, timeoutMs);
      return primeStream(this.pipeline.stream(route.attempt(target, warnings), targetRequest));
    });
    for await (const part of prepend(first, rest)) {
      yield part.type === 'start' ? { ...part, provider } : part;
    }
  }

  /**
   * Counts a prompt's input tokens for the model it names, the request in a wire format:
   * the provider's own count where it has one for that format (`countFormats`), else our tokenizer's
   * estimate (o200k). It asks the model's first target. Free: no usage row, no budget.
   * A count the provider refused (the request's fault) is thrown; any other failure to
   * count upstream falls back to the estimate, as a count is only ever advice.
   */
  async countTokens(request: {
    model: string;
    native: NativeBody;
    signal?: AbortSignal;
  }): Promise<TokenCountResult> {
    const resolved = this.registry.resolve(request.model);
    const [target] = planAttempts(resolved, [], this.routing.random);
    if (!target) throw new ModelNotFoundError(`"${request.model}" has no target`);
    const { provider, model } = target;
    if (provider.countTokens && provider.countFormats?.includes(request.native.format)) {
      try {
        return await provider.countTokens({ ...request, model });
      } catch (error) {
        if (!(error instanceof AIError) || ['bad_request', 'model_not_found', 'aborted'].includes(error.code))
          throw error;
      }
    }
    const inputTokens = estimateNativePromptTokens(request.native);
    return { provider: provider.name, model, inputTokens, source: 'estimated' };
  }

  /** Embeddings, one vector per input. */
  async embed(request: AiEmbedRequest, context?: Partial<CallContext>): Promise<EmbedResult> {
    const route = this.route(request.model, context, 'embedding', false, request.signal);
    return runRoute(route.plan, route.options, (target, timeoutMs) =>
      this.pipeline.embed(route.attempt(target), withTarget(request, target, timeoutMs)),
    );
  }

  /**
   * A media call in OpenAI's format: an image generation, a transcription or translation of
   * an uploaded file, or speech. Routed, limited and budgeted like chat, to the targets whose
   * model has the capability (a 400 when none has). The answer comes as the provider sent
   * it; each attempt's row is written once its body has been read (`result.outcome`).
   */
  async media(request: MediaRequest, context?: Partial<CallContext>): Promise<MediaResult> {
    // Multipart fields are strings: `stream=true` in a form.
    const stream =
      request.fields.stream === true ||
      request.fields.stream === 'true' ||
      request.fields.stream_format === 'sse' ||
      // Speech's audio always comes in pieces.
      request.kind === 'speech';
    const route = this.route(request.model, context, request.kind, stream, request.signal);
    const capability = MEDIA_CAPABILITY[request.kind];
    const needs: (keyof ModelCapabilities)[] =
      stream && request.kind === 'transcription' ? [capability, 'transcriptionStreaming'] : [capability];
    const plan = route.plan.filter((target) => this.serves(target, request.kind, needs));
    if (plan.length === 0) {
      const what = needs.length > 1 ? 'stream transcriptions' : `do ${MEDIA_KIND_NAMES[request.kind]}`;
      throw new BadRequestError(
        `The model "${request.model}" cannot ${what}` +
          ` (declare it in the AI config's models: with capabilities.${needs.at(-1)}: true if it can).`,
      );
    }
    return runRoute(plan, route.options, (target, timeoutMs) =>
      this.pipeline.media(route.attempt(target), withTarget(request, target, timeoutMs)),
    );
  }

  /** Images for app code (OpenAI's fields: `prompt`, `n`, `size`, `quality`, `response_format`...), read whole. */
  async generateImage(
    request: MediaFields & { prompt: string },
    context?: Partial<CallContext>,
  ): Promise<MediaAnswer> {
    return readMediaAnswer(
      await this.media({ kind: 'image', model: request.model, fields: withoutModel(request) }, context),
    );
  }

  /** A transcription (or, with `translate`, an English translation) of `file`, read whole. */
  async transcribe(
    request: MediaFields & { file: AudioInput; translate?: boolean },
    context?: Partial<CallContext>,
  ): Promise<MediaAnswer> {
    const { translate, ...rest } = request;
    const kind = translate ? 'translation' : 'transcription';
    const file = await mediaFileOf(request.file);
    return readMediaAnswer(
      await this.media({ kind, model: request.model, fields: withoutModel(rest), file }, context),
    );
  }

  /** Speech for `input` (OpenAI's fields: `voice`, `response_format`...): the audio, read whole. */
  async speech(
    request: MediaFields & { input: string; voice: unknown },
    context?: Partial<CallContext>,
  ): Promise<MediaAnswer> {
    return readMediaAnswer(
      await this.media({ kind: 'speech', model: request.model, fields: withoutModel(request) }, context),
    );
  }

  /**
   * Whether a target can take a media call: its provider has the endpoint, and its model
   * has the capabilities; a model the catalog does not list is the provider's to judge.
   */
  private serves(target: RouteTarget, kind: MediaKind, needs: (keyof ModelCapabilities)[]): boolean {
    if (!target.provider.media || !target.provider.mediaKinds?.includes(kind)) return false;
    const listed = this.registry.catalog.get(target.provider.name, target.model);
    return !listed || needs.every((capability) => listed.capabilities[capability] === true);
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
    checkAllowedModels(resolved, fallbacks, context.limits?.allowedModels);
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
      attempt: (target, warnings) => {
        lastAttempt = nextAttempt(requestId, lastAttempt);
        return {
          requestId,
          attempt: lastAttempt,
          context: warnings?.length
            ? { ...context, requestId, metadata: { ...context.metadata, warnings } }
            : { ...context, requestId },
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

/**
 * How each target gets the request: a ChatRequest as it is; a wire request natively when
 * the target's provider speaks its format (the body `nativeFor` gives for that provider, or
 * `native`), else translated (once, whatever the targets).
 */
function requestForTarget(
  request: AiChatRequest | AiWireRequest,
): (target: RouteTarget, timeoutMs: number | undefined) => { request: ChatRequest; warnings?: string[] } {
  if (!('translate' in request)) {
    return (target, timeoutMs) => ({ request: withTarget(request, target, timeoutMs) });
  }
  let translated: { request: ChatRequest; warnings: string[] } | undefined;
  const nativeRequest = (native: NativeBody): ChatRequest => ({
    model: request.model,
    messages: [],
    native,
    ...(request.maxTokens !== undefined ? { maxTokens: request.maxTokens } : {}),
    ...(request.signal ? { signal: request.signal } : {}),
  });
  const shared = nativeRequest(request.native);
  return (target, timeoutMs) => {
    const own = request.nativeFor?.(target.provider.name);
    const native = own ?? request.native;
    if (target.provider.wireFormats?.includes(native.format)) {
      return { request: withTarget(own ? nativeRequest(own) : shared, target, timeoutMs) };
    }
    translated ??= request.translate();
    const signal = request.signal ? { signal: request.signal } : {};
    return {
      request: withTarget({ ...translated.request, ...signal }, target, timeoutMs),
      warnings: translated.warnings,
    };
  };
}

/** What the usage rows of a request call it. */
function requestTypeOf(request: AiChatRequest | AiWireRequest): CallInfo['requestType'] {
  return ('translate' in request && request.requestType) || 'chat';
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

/** The model capability each media call needs. */
const MEDIA_CAPABILITY: Record<MediaKind, keyof ModelCapabilities> = {
  image: 'images',
  transcription: 'transcription',
  translation: 'translation',
  speech: 'speech',
};
