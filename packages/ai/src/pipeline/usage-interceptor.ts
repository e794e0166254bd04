import type { ModelCatalog } from '../catalog/model-catalog.js';
import { type CallCost, computeCost } from '../cost/compute-cost.js';
import { computeMediaCost } from '../cost/compute-media-cost.js';
import { AIError } from '../errors/ai-error.js';
import type { ChatRequest } from '../types/chat-request.js';
import type { ChatResult } from '../types/chat-result.js';
import type { ChatStreamPart } from '../types/chat-stream-part.js';
import type { EmbedRequest, EmbedResult } from '../types/embedding.js';
import type { MediaRequest, MediaResult, MediaUnits } from '../types/media.js';
import { type TokenUsage, totalTokens, unknownUsage } from '../types/token-usage.js';
import { estimateRequestTokens, estimateTextTokens } from '../usage/estimate-tokens.js';
import { StreamedText } from '../usage/streamed-text.js';
import type { UsageRecord } from '../usage/usage-record.js';
import type { UsageSink } from '../usage/usage-sink.js';
import type { CallInfo, CallInterceptor } from './call-interceptor.js';
import { uuidv7 } from './uuid-v7.js';

/** How a call ended, for its row. */
interface Outcome {
  usage: TokenUsage;
  /** What the provider could not pass on (its result's or stream start's `warnings`). */
  warnings?: string[];
  error?: unknown;
  timeToFirstTokenMs?: number;
  /** Images and audio: the unit billed and how many. */
  units?: MediaUnits;
}

/**
 * Writes one usage row per provider call: success, failure, a finished stream, a
 * stream that failed or that the caller stopped. Cost is computed here (decimals, the
 * catalog's prices) and returned with the result, so rows and responses agree.
 */
export class UsageInterceptor implements CallInterceptor {
  constructor(
    private readonly sink: UsageSink,
    private readonly catalog: ModelCatalog,
  ) {}

  async wrapChat(
    call: CallInfo,
    request: ChatRequest,
    next: (r: ChatRequest) => Promise<ChatResult>,
  ): Promise<ChatResult> {
    try {
      const result = await next(request);
      const cost = this.record(call, { usage: result.usage, warnings: result.warnings });
      return { ...result, cost, requestId: call.requestId };
    } catch (error) {
      this.record(call, { usage: unknownUsage(), error });
      throw error;
    }
  }

  async *wrapStream(
    call: CallInfo,
    request: ChatRequest,
    next: (r: ChatRequest) => AsyncIterable<ChatStreamPart>,
  ): AsyncIterable<ChatStreamPart> {
    // Per-call state in locals: what streamed so far, for estimates if usage never comes.
    const generated = new StreamedText();
    let firstTokenAt: number | undefined;
    let warnings: string[] | undefined;
    let started = false;
    let finished = false;
    let failure: unknown;
    try {
      for await (const part of next(request)) {
        started = true;
        if (part.type === 'start') warnings = part.warnings;
        if (generated.add(part)) firstTokenAt ??= Date.now();
        if (part.type === 'finish') {
          finished = true;
          const usage = part.usage.source === 'unknown' ? estimated(request, generated.text()) : part.usage;
          const cost = this.record(call, { usage, warnings, timeToFirstTokenMs: ttft(call, firstTokenAt) });
          yield { ...part, usage, cost };
        } else {
          yield part;
        }
      }
    } catch (error) {
      failure = error;
      throw error;
    } finally {
      // Failed mid-way, or the caller stopped reading: tokens so far, estimated. A call
      // that failed before the upstream answered at all consumed nothing we can know of.
      if (!finished) {
        this.record(call, {
          usage: started ? estimated(request, generated.text()) : unknownUsage(),
          error:
            failure ?? new AIError('aborted', 'The caller stopped reading the stream', { retryable: false }),
          timeToFirstTokenMs: ttft(call, firstTokenAt),
          warnings,
        });
      }
    }
  }

  async wrapEmbed(
    call: CallInfo,
    request: EmbedRequest,
    next: (r: EmbedRequest) => Promise<EmbedResult>,
  ): Promise<EmbedResult> {
    try {
      const result = await next(request);
      const cost = this.record(call, { usage: result.usage });
      return { ...result, cost };
    } catch (error) {
      this.record(call, { usage: unknownUsage(), error });
      throw error;
    }
  }

  async wrapMedia(
    call: CallInfo,
    request: MediaRequest,
    next: (r: MediaRequest) => Promise<MediaResult>,
  ): Promise<MediaResult> {
    let result: MediaResult;
    try {
      result = await next(request);
    } catch (error) {
      this.record(call, { usage: unknownUsage(), error }, request);
      throw error;
    }
    // One row once the answer has been read (speech and streamed transcripts come in pieces).
    const outcome = result.outcome.then((used) => {
      const cost = this.record(call, { usage: used.usage, units: used.units, error: used.error }, request);
      return { ...used, cost };
    });
    return { ...result, outcome };
  }

  private record(call: CallInfo, outcome: Outcome, media?: MediaRequest): CallCost {
    const pricing = this.catalog.pricing(call.provider.name, call.model);
    const cost = media
      ? computeMediaCost(outcome, pricing, media.fields)
      : computeCost(outcome.usage, pricing);
    this.sink.enqueue(toRecord(call, outcome, cost));
    return cost;
  }
}

function ttft(call: CallInfo, firstTokenAt: number | undefined): number | undefined {
  return firstTokenAt === undefined ? undefined : firstTokenAt - call.startedAt;
}

function estimated(request: ChatRequest, text: string): TokenUsage {
  const input = estimateRequestTokens(request);
  const output = estimateTextTokens(text);
  return {
    inputTokens: {
      total: input,
      noCache: input,
      cacheRead: undefined,
      cacheWrite: undefined,
      cacheWrite1h: undefined,
    },
    outputTokens: { total: output, text: undefined, reasoning: undefined },
    source: 'estimated',
  };
}

const orNull = <T>(v: T | undefined): T | null => (v === undefined ? null : v);

/** The request's warnings (the translation's) and the provider's, as `{ warnings }` when there are any. */
function withWarnings(request: unknown, provider: string[] | undefined): { warnings: string[] } | undefined {
  const all = [...(Array.isArray(request) ? (request as string[]) : []), ...(provider ?? [])];
  return all.length ? { warnings: all } : undefined;
}

/** The counts the row has no column for, as `{ usage }`, only those that are nonzero. */
function usageSplit(usage: TokenUsage): { usage: Record<string, number> } | undefined {
  const split: Record<string, number> = {};
  if (usage.inputTokens.cacheWrite1h) split.cacheWrite1hTokens = usage.inputTokens.cacheWrite1h;
  if (usage.serverTools?.webSearchRequests) split.webSearchRequests = usage.serverTools.webSearchRequests;
  for (const [name, count] of Object.entries(usage.modalities ?? {})) {
    if (count) split[`${name}Tokens`] = count;
  }
  return Object.keys(split).length ? { usage: split } : undefined;
}

function toRecord(call: CallInfo, outcome: Outcome, cost: CallCost): UsageRecord {
  const { usage, error } = outcome;
  const aiError = error instanceof AIError ? error : undefined;
  return {
    id: uuidv7(call.startedAt),
    requestId: call.requestId,
    attempt: call.attempt,
    userId: call.context.userId,
    apiKeyId: orNull(call.context.apiKeyId),
    teamId: orNull(call.context.teamId),
    provider: call.provider.name,
    model: call.model,
    requestedModel: call.requestedModel,
    requestType: call.requestType,
    stream: call.stream,
    promptTokens: orNull(usage.inputTokens.total),
    cacheReadTokens: orNull(usage.inputTokens.cacheRead),
    cacheWriteTokens: orNull(usage.inputTokens.cacheWrite),
    completionTokens: orNull(usage.outputTokens.total),
    reasoningTokens: orNull(usage.outputTokens.reasoning),
    totalTokens: orNull(totalTokens(usage)),
    usageSource: usage.source,
    unit: outcome.units?.unit ?? null,
    quantity: outcome.units === undefined ? null : String(outcome.units.quantity),
    costUsd: cost.usd,
    pricing: cost.pricing as Record<string, unknown> | null,
    isSuccess: error === undefined,
    errorCode: error === undefined ? null : (aiError?.code ?? 'internal_error'),
    // A success is the provider's 2xx, which is 200 for every provider's API; a failure keeps the status it had.
    httpStatus: error === undefined ? 200 : orNull(aiError?.status),
    latencyMs: Date.now() - call.startedAt,
    timeToFirstTokenMs: orNull(outcome.timeToFirstTokenMs),
    characterId: orNull(call.context.characterId),
    chatId: orNull(call.context.chatId),
    metadata: {
      ...call.context.metadata,
      ...withWarnings(call.context.metadata?.warnings, outcome.warnings),
      ...usageSplit(usage),
      ...(error !== undefined ? { error: error instanceof Error ? error.message : String(error) } : {}),
    },
    createdAt: new Date(call.startedAt).toISOString(),
  };
}
