import {
  AIError,
  type CallInfo,
  type CallInterceptor,
  type ChatRequest,
  type ChatResult,
  type ChatStreamPart,
  type EmbedRequest,
  type EmbedResult,
  type MediaRequest,
  type MediaResult,
} from '@aigw/ai';
import type { MetricsService, ProviderCallMetrics } from './metrics.service.js';

/** The error code a failed attempt is counted under (as on its usage row). */
function errorCode(error: unknown): string {
  return error instanceof AIError ? error.code : 'internal_error';
}

const seconds = (ms: number) => ms / 1000;

/**
 * Records every provider call attempt in MetricsService: outcome, error code, duration,
 * time to first token, tokens and cost. Registered through AiModule's `interceptors`,
 * which run outside the usage recorder, so results and finish parts already carry cost.
 */
export class MetricsInterceptor implements CallInterceptor {
  constructor(private readonly metrics: MetricsService) {}

  async wrapChat(
    call: CallInfo,
    request: ChatRequest,
    next: (r: ChatRequest) => Promise<ChatResult>,
  ): Promise<ChatResult> {
    try {
      const result = await next(request);
      this.record(call, { usage: result.usage, cost: result.cost });
      return result;
    } catch (error) {
      this.record(call, { errorCode: errorCode(error), error });
      throw error;
    }
  }

  async *wrapStream(
    call: CallInfo,
    request: ChatRequest,
    next: (r: ChatRequest) => AsyncIterable<ChatStreamPart>,
  ): AsyncIterable<ChatStreamPart> {
    let firstTokenAt: number | undefined;
    let finish: Extract<ChatStreamPart, { type: 'finish' }> | undefined;
    let failure: unknown;
    try {
      for await (const part of next(request)) {
        if (
          part.type === 'text-delta' ||
          part.type === 'reasoning-delta' ||
          part.type === 'tool-call-start' ||
          part.type === 'tool-call-delta'
        ) {
          firstTokenAt ??= Date.now();
        } else if (part.type === 'finish') {
          finish = part;
        }
        yield part;
      }
    } catch (error) {
      failure = error;
      throw error;
    } finally {
      // Runs for a finished stream, a failed one, and one the caller stopped reading.
      const timeToFirstTokenSeconds =
        firstTokenAt === undefined ? undefined : seconds(firstTokenAt - call.startedAt);
      if (finish) {
        this.record(call, { usage: finish.usage, cost: finish.cost, timeToFirstTokenSeconds });
      } else {
        this.record(call, {
          errorCode: failure === undefined ? 'aborted' : errorCode(failure),
          timeToFirstTokenSeconds,
          error: failure,
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
      this.record(call, { usage: result.usage, cost: result.cost });
      return result;
    } catch (error) {
      this.record(call, { errorCode: errorCode(error), error });
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
      this.record(call, { errorCode: errorCode(error), error });
      throw error;
    }
    const outcome = result.outcome.then((used) => {
      if (used.error === undefined) this.record(call, { usage: used.usage, cost: used.cost });
      else this.record(call, { errorCode: errorCode(used.error), error: used.error });
      return used;
    });
    return { ...result, outcome };
  }

  private record(
    call: CallInfo,
    outcome: Pick<ProviderCallMetrics, 'errorCode' | 'usage' | 'cost' | 'timeToFirstTokenSeconds'> & {
      error?: unknown;
    },
  ): void {
    const { error, ...measured } = outcome;
    // Refused by our own limiter: the provider never saw the call.
    if (error instanceof AIError && error.details.limit) {
      this.metrics.recordLimiterRejection(error.details.limit.scope, error.details.limit.kind);
      return;
    }
    this.metrics.recordProviderCall({
      provider: call.provider.name,
      model: call.model,
      requestType: call.requestType,
      stream: call.stream,
      durationSeconds: seconds(Date.now() - call.startedAt),
      ...measured,
    });
  }
}
