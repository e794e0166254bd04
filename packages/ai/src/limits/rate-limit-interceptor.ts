import { AIError } from '../errors/ai-error.js';
import { RateLimitError } from '../errors/errors.js';
import type { CallInfo, CallInterceptor } from '../pipeline/call-interceptor.js';
import type { TokenRateRule } from '../types/call-context.js';
import type { ChatRequest } from '../types/chat-request.js';
import type { ChatResult } from '../types/chat-result.js';
import type { ChatStreamPart } from '../types/chat-stream-part.js';
import type { EmbedRequest, EmbedResult } from '../types/embedding.js';
import type { MediaRequest, MediaResult } from '../types/media.js';
import { type TokenUsage, totalTokens } from '../types/token-usage.js';
import { estimateRequestTokens, estimateTextTokens } from '../usage/estimate-tokens.js';
import { mediaPromptText } from '../usage/media-units.js';
import { StreamedText } from '../usage/streamed-text.js';
import type { HitResult, LimitStore } from './limit-store.js';

/** A provider's own request and token limits (its config entry's `rpmLimit` / `tpmLimit`). */
export interface ProviderRateLimit {
  rpmLimit?: number;
  tpmLimit?: number;
}

/** Options of a RateLimitInterceptor. */
export interface RateLimitInterceptorOptions {
  /** Window length (default 60000: per minute; shorter in tests). */
  windowMs?: number;
  logger?: { warn(message: string): void };
}

/** What one admitted call counted, to correct once its real usage is known. */
interface Ticket {
  provider: string;
  /** The provider's request window, when it counted the call there. */
  rpmKey?: string;
  /** The token windows it counted its prompt estimate in (the provider's, its key's, its team's). */
  tokenKeys: string[];
  promptEstimate: number;
}

/**
 * Keeps each provider (so each provider key) under its configured requests and tokens
 * per minute, across replicas when the store is shared. A refusal is a retryable
 * RateLimitError with retryAfterMs, so routing can move on to another target.
 *
 * Tokens: the prompt estimate is counted (and checked) before the call, and corrected
 * to the real total (input + output) after it. Checking up front is what stops
 * concurrent calls from all passing; counting output only afterwards means a window
 * can end up over its limit by the output of calls already in flight, as at the
 * providers themselves. A failed call keeps its prompt counted: the provider may
 * have counted it too.
 *
 * The same token accounting holds each key's and team's `tpmLimit` (the call context's
 * `limits.tokenRates`); their refusal is not retryable on another target, as it is the
 * caller's own limit.
 *
 * When the store fails, calls go through (logged): provider limits protect the
 * upstream's quota, and an unreachable Redis must not take the gateway down with it.
 */
export class RateLimitInterceptor implements CallInterceptor {
  private readonly windowMs: number;

  constructor(
    private readonly store: LimitStore,
    private readonly limits: Record<string, ProviderRateLimit>,
    private readonly options: RateLimitInterceptorOptions = {},
  ) {
    this.windowMs = options.windowMs ?? 60_000;
  }

  async wrapChat(
    call: CallInfo,
    request: ChatRequest,
    next: (r: ChatRequest) => Promise<ChatResult>,
  ): Promise<ChatResult> {
    const ticket = await this.admit(call, () => estimateRequestTokens(request));
    const result = await this.refundIfRefused(ticket, () => next(request));
    if (ticket) {
      const output = [
        result.text,
        result.reasoning ?? '',
        ...result.toolCalls.map((c) => c.name + c.arguments),
      ];
      await this.correct(ticket, totalOf(result.usage, ticket.promptEstimate, output.join('')));
    }
    return result;
  }

  async *wrapStream(
    call: CallInfo,
    request: ChatRequest,
    next: (r: ChatRequest) => AsyncIterable<ChatStreamPart>,
  ): AsyncIterable<ChatStreamPart> {
    const ticket = await this.admit(call, () => estimateRequestTokens(request));
    if (!ticket) {
      yield* next(request);
      return;
    }
    const generated = new StreamedText();
    let corrected = false;
    let started = false;
    try {
      for await (const part of next(request)) {
        started = true;
        generated.add(part);
        if (part.type === 'finish') {
          corrected = true;
          await this.correct(ticket, totalOf(part.usage, ticket.promptEstimate, generated.text()));
        }
        yield part;
      }
    } catch (error) {
      if (!started && refusedByGateway(error)) {
        corrected = true;
        await this.refund(ticket);
      }
      throw error;
    } finally {
      const text = generated.text();
      if (!corrected && text) await this.correct(ticket, ticket.promptEstimate + estimateTextTokens(text));
    }
  }

  async wrapEmbed(
    call: CallInfo,
    request: EmbedRequest,
    next: (r: EmbedRequest) => Promise<EmbedResult>,
  ): Promise<EmbedResult> {
    const ticket = await this.admit(call, () =>
      request.input.reduce((sum, text) => sum + estimateTextTokens(text), 0),
    );
    const result = await this.refundIfRefused(ticket, () => next(request));
    if (ticket) await this.correct(ticket, result.usage.inputTokens.total ?? ticket.promptEstimate);
    return result;
  }

  async wrapMedia(
    call: CallInfo,
    request: MediaRequest,
    next: (r: MediaRequest) => Promise<MediaResult>,
  ): Promise<MediaResult> {
    const ticket = await this.admit(call, () => estimateTextTokens(mediaPromptText(request)));
    const result = await this.refundIfRefused(ticket, () => next(request));
    if (!ticket) return result;
    const outcome = result.outcome.then(async (used) => {
      const reported = used.usage.source === 'reported' ? totalTokens(used.usage) : undefined;
      await this.correct(ticket, reported ?? ticket.promptEstimate);
      return used;
    });
    return { ...result, outcome };
  }

  /** Runs the call; one the gateway itself refused further in (a budget) gives back what it counted. */
  private async refundIfRefused<T>(ticket: Ticket | undefined, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (ticket && refusedByGateway(error)) await this.refund(ticket);
      throw error;
    }
  }

  /** Takes the call's request and prompt estimate out of the windows it was counted in. */
  private async refund(ticket: Ticket): Promise<void> {
    try {
      await Promise.all([
        ...(ticket.rpmKey ? [this.store.adjust(ticket.rpmKey, -1, this.windowMs)] : []),
        ...ticket.tokenKeys.map((key) => this.store.adjust(key, -ticket.promptEstimate, this.windowMs)),
      ]);
    } catch (error) {
      this.options.logger?.warn(
        `Rate limits of a refused call to "${ticket.provider}" not given back: ${(error as Error).message}`,
      );
    }
  }

  /** Counts the call against its provider's, key's and team's limits, or throws; undefined when none apply. */
  private async admit(call: CallInfo, promptTokens: () => number): Promise<Ticket | undefined> {
    const provider = call.provider.name;
    const limit = this.limits[provider] ?? {};
    const callerRates = call.context.limits?.tokenRates ?? [];
    if (!limit.rpmLimit && !limit.tpmLimit && !callerRates.length) return undefined;
    const ticket: Ticket = { provider, tokenKeys: [], promptEstimate: 0 };
    if (limit.tpmLimit || callerRates.length) ticket.promptEstimate = promptTokens();
    try {
      if (limit.rpmLimit) {
        const hit = await this.store.hit(rpmKey(provider), 1, limit.rpmLimit, this.windowMs);
        if (!hit.allowed) {
          throw new RateLimitError(
            `Provider "${provider}" is at its configured limit of ${limit.rpmLimit} requests ${this.per()} ` +
              `(rpmLimit in the AI config); retry in ${seconds(hit.retryAfterMs)} s.`,
            { provider, retryAfterMs: hit.retryAfterMs, limit: { scope: 'provider', kind: 'rpm' } },
          );
        }
        ticket.rpmKey = rpmKey(provider);
      }
      const windows = [
        ...(limit.tpmLimit ? [{ key: tpmKey(provider), tpmLimit: limit.tpmLimit, rule: undefined }] : []),
        ...callerRates.map((rule) => ({
          key: `${rule.scope}:${rule.id}:tpm`,
          tpmLimit: rule.tpmLimit,
          rule,
        })),
      ];
      for (const window of windows) {
        const hit = await this.store.hit(window.key, ticket.promptEstimate, window.tpmLimit, this.windowMs);
        if (hit.allowed) {
          ticket.tokenKeys.push(window.key);
          if (window.rule?.scope === 'key') {
            call.context.limits?.onTokenWindow?.({
              limit: window.tpmLimit,
              remaining: hit.remaining,
              resetMs: hit.resetMs ?? this.windowMs,
            });
          }
          continue;
        }
        // The request was not sent: it must not use up the request limit or other windows either.
        if (limit.rpmLimit) await this.store.adjust(rpmKey(provider), -1, this.windowMs);
        await Promise.all(
          ticket.tokenKeys.map((key) => this.store.adjust(key, -ticket.promptEstimate, this.windowMs)),
        );
        throw window.rule
          ? callerTpmRefusal(window.rule, ticket.promptEstimate, hit, this.per())
          : providerTpmRefusal(provider, window.tpmLimit, ticket.promptEstimate, hit, this.per());
      }
    } catch (error) {
      if (error instanceof AIError && error.code === 'rate_limited') throw error;
      this.options.logger?.warn(
        `Rate limits of a call to "${provider}" not checked (the limit store failed): ${(error as Error).message}`,
      );
      return undefined;
    }
    return ticket.tokenKeys.length || ticket.rpmKey ? ticket : undefined;
  }

  /** Replaces the counted prompt estimate with the call's real token total. */
  private async correct(ticket: Ticket, actualTokens: number): Promise<void> {
    try {
      await Promise.all(
        ticket.tokenKeys.map((key) =>
          this.store.adjust(key, actualTokens - ticket.promptEstimate, this.windowMs),
        ),
      );
    } catch (error) {
      this.options.logger?.warn(
        `Token count of a call to "${ticket.provider}" not corrected (the limit store failed): ${(error as Error).message}`,
      );
    }
  }

  private per(): string {
    return this.windowMs === 60_000 ? 'per minute' : `per ${this.windowMs / 1000} s`;
  }
}

/** A provider's tpm refusal: retryable, another target may have room. */
function providerTpmRefusal(
  provider: string,
  tpmLimit: number,
  promptEstimate: number,
  hit: HitResult,
  per: string,
): AIError {
  return new RateLimitError(
    promptEstimate > tpmLimit
      ? `This call's prompt (about ${promptEstimate} tokens) is larger than provider "${provider}"'s ` +
          `configured limit of ${tpmLimit} tokens ${per} (tpmLimit in the AI config).`
      : `Provider "${provider}" is at its configured limit of ${tpmLimit} tokens ${per} ` +
          `(tpmLimit in the AI config): this call needs about ${promptEstimate} and ${hit.remaining} are left; ` +
          `retry in ${seconds(hit.retryAfterMs)} s.`,
    { provider, retryAfterMs: hit.retryAfterMs, limit: { scope: 'provider', kind: 'tpm' } },
  );
}

/** A key's or team's tpm refusal: the caller's own limit, the same on every target. */
function callerTpmRefusal(rule: TokenRateRule, promptEstimate: number, hit: HitResult, per: string): AIError {
  const whose =
    rule.scope === 'key' ? 'This API key' : `${rule.scope === 'team' ? 'Team' : 'User'} ${rule.id}`;
  return new AIError(
    'rate_limited',
    `${whose} is limited to ${rule.tpmLimit} tokens ${per}: this call needs about ${promptEstimate} and ` +
      `${hit.remaining} are left; retry in ${seconds(hit.retryAfterMs)} s. An admin can raise its tpmLimit.`,
    {
      retryable: false,
      retryAfterMs: hit.retryAfterMs,
      limit: { scope: rule.scope, kind: 'tpm', value: rule.tpmLimit, remaining: hit.remaining },
    },
  );
}

const rpmKey = (provider: string) => `provider:${provider}:rpm`;

/** A refusal by the gateway's own limits (a budget further in): the call never reached the provider. */
function refusedByGateway(error: unknown): boolean {
  return error instanceof AIError && (error.code === 'budget_exceeded' || error.details.limit !== undefined);
}
const tpmKey = (provider: string) => `provider:${provider}:tpm`;
const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

/** Input + output tokens, each as reported, else estimated. */
function totalOf(usage: TokenUsage, promptEstimate: number, output: string): number {
  return (
    (usage.inputTokens.total ?? promptEstimate) + (usage.outputTokens.total ?? estimateTextTokens(output))
  );
}
