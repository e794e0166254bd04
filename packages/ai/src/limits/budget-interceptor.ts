import type { ModelCatalog } from '../catalog/model-catalog.js';
import { type CallCost, computeCost } from '../cost/compute-cost.js';
import { AIError } from '../errors/ai-error.js';
import type { CallInfo, CallInterceptor } from '../pipeline/call-interceptor.js';
import type { ChatRequest } from '../types/chat-request.js';
import type { ChatResult } from '../types/chat-result.js';
import type { ChatStreamPart } from '../types/chat-stream-part.js';
import type { EmbedRequest, EmbedResult } from '../types/embedding.js';
import { estimateRequestTokens, estimateTextTokens } from '../usage/estimate-tokens.js';
import { StreamedText } from '../usage/streamed-text.js';
import { BudgetHold, type HoldLogger } from './budget-hold.js';
import type { LimitStore } from './limit-store.js';
import { picoToUsd, usdToPico } from './pico-usd.js';
import { type WorstCase, worstCaseChatCost, worstCaseEmbedCost } from './worst-case-cost.js';

/** What a virtual key has spent so far in USD (a decimal string), from the usage log. */
export type SpentLoader = (apiKeyId: string) => Promise<string>;

/** Options of a BudgetInterceptor. */
export interface BudgetInterceptorOptions {
  /** How long a reservation outlives a process that died mid-call (default 120000). */
  reservationTtlMs?: number;
  logger?: HoldLogger;
}

/**
 * Enforces a virtual key's USD budget before the money is spent, so concurrent calls
 * cannot run past it: each call reserves its worst-case cost (see worst-case-cost.ts),
 * is refused with `budget_exceeded` when that does not fit, and settles to its real
 * cost when it ends. The account starts from what the key's usage rows already cost.
 */
export class BudgetInterceptor implements CallInterceptor {
  private readonly ttlMs: number;

  constructor(
    private readonly store: LimitStore,
    private readonly catalog: ModelCatalog,
    private readonly loadSpentUsd: SpentLoader,
    private readonly options: BudgetInterceptorOptions = {},
  ) {
    this.ttlMs = options.reservationTtlMs ?? 120_000;
  }

  async wrapChat(
    call: CallInfo,
    request: ChatRequest,
    next: (r: ChatRequest) => Promise<ChatResult>,
  ): Promise<ChatResult> {
    const hold = await this.hold(call, () =>
      worstCaseChatCost(
        request,
        this.pricing(call),
        this.catalog.describe(call.provider.name, call.model).contextWindow,
      ),
    );
    if (!hold) return next(request);
    let result: ChatResult;
    try {
      result = await next(request);
    } catch (error) {
      // As the usage row says: a failed call has no known tokens and costs nothing.
      await hold.settle(0n);
      throw error;
    }
    await hold.settle(costOf(result.cost, hold));
    return result;
  }

  async *wrapStream(
    call: CallInfo,
    request: ChatRequest,
    next: (r: ChatRequest) => AsyncIterable<ChatStreamPart>,
  ): AsyncIterable<ChatStreamPart> {
    const pricing = this.pricing(call);
    const hold = await this.hold(call, () =>
      worstCaseChatCost(
        request,
        pricing,
        this.catalog.describe(call.provider.name, call.model).contextWindow,
      ),
    );
    if (!hold) {
      yield* next(request);
      return;
    }
    const generated = new StreamedText();
    let started = false;
    try {
      for await (const part of next(request)) {
        started = true;
        generated.add(part);
        // Settled before the finish part goes out: a consumer may stop reading right after it.
        if (part.type === 'finish') await hold.settle(costOf(part.cost, hold));
        yield part;
      }
    } finally {
      // Cut or failed: the same estimate the usage row records (tokens so far), or
      // nothing when the upstream never answered.
      if (!hold.settled)
        await hold.settle(started ? estimatedCost(request, generated.text(), pricing, hold) : 0n);
    }
  }

  async wrapEmbed(
    call: CallInfo,
    request: EmbedRequest,
    next: (r: EmbedRequest) => Promise<EmbedResult>,
  ): Promise<EmbedResult> {
    const hold = await this.hold(call, () => worstCaseEmbedCost(request, this.pricing(call)));
    if (!hold) return next(request);
    let result: EmbedResult;
    try {
      result = await next(request);
    } catch (error) {
      await hold.settle(0n);
      throw error;
    }
    await hold.settle(costOf(result.cost, hold));
    return result;
  }

  private pricing(call: CallInfo) {
    return this.catalog.pricing(call.provider.name, call.model);
  }

  /** Reserves the call's worst case, or throws budget_exceeded; undefined when no budget applies. */
  private async hold(
    call: CallInfo,
    worstCase: () => WorstCase | undefined,
  ): Promise<BudgetHold | undefined> {
    const budgetUsd = call.context.limits?.budgetUsd;
    const apiKeyId = call.context.apiKeyId;
    if (budgetUsd === undefined || budgetUsd === null || !apiKeyId) return undefined;
    const worst = worstCase();
    // An unpriced model's cost is unknown, so there is nothing to reserve: the call is
    // allowed, and its usage row records the cost as unknown (null), never as free.
    if (!worst) return undefined;
    const account = `key:${apiKeyId}`;
    await this.store.ensureSeeded(account, async () => usdToPico(await this.loadSpentUsd(apiKeyId)));
    const amount = usdToPico(worst.usd);
    const limit = usdToPico(budgetUsd, 'floor');
    const reserved = await this.store.reserve(account, amount, limit, this.ttlMs);
    if (!reserved.ok || !reserved.reservationId) throw budgetExceeded(call, worst, amount, limit, reserved);
    return new BudgetHold(
      this.store,
      account,
      reserved.reservationId,
      amount,
      this.ttlMs,
      this.options.logger,
    );
  }
}

/** The refusal: the key's budget, what is spent and held, what this call could cost, and what to do. */
function budgetExceeded(
  call: CallInfo,
  worst: WorstCase,
  amountPico: bigint,
  limitPico: bigint,
  balance: { spentPico: bigint; reservedPico: bigint },
): AIError {
  const held =
    balance.reservedPico > 0n ? ` and $${picoToUsd(balance.reservedPico)} is held by calls in progress` : '';
  const tokens = worst.outputTokens
    ? `about ${worst.promptTokens} prompt tokens + up to ${worst.outputTokens} output tokens; a lower max_tokens needs less`
    : `about ${worst.promptTokens} input tokens`;
  return new AIError(
    'budget_exceeded',
    `Budget exceeded for this API key: its budget is $${picoToUsd(limitPico)}, $${picoToUsd(balance.spentPico)} is spent${held}, ` +
      `and this call could cost up to $${picoToUsd(amountPico)} (${call.provider.name}/${call.model}: ${tokens}). ` +
      `An admin can raise the key's budgetUsd.`,
    { retryable: false, provider: call.provider.name, limit: { scope: 'key', kind: 'budget' } },
  );
}

/**
 * The real cost of a finished call. A priced model whose usage is unknown keeps its
 * worst case: its row has no cost, but it must not run free past the budget.
 */
function costOf(cost: CallCost | undefined, hold: BudgetHold): bigint {
  return cost?.usd ? usdToPico(cost.usd) : hold.amountPico;
}

/** A cut stream's cost as UsageInterceptor estimates it for its row: the prompt, and the output so far. */
function estimatedCost(
  request: ChatRequest,
  text: string,
  pricing: Parameters<typeof computeCost>[1],
  hold: BudgetHold,
): bigint {
  const input = estimateRequestTokens(request);
  const output = estimateTextTokens(text);
  const cost = computeCost(
    {
      inputTokens: {
        total: input,
        noCache: input,
        cacheRead: undefined,
        cacheWrite: undefined,
        cacheWrite1h: undefined,
      },
      outputTokens: { total: output, text: undefined, reasoning: undefined },
      source: 'estimated',
    },
    pricing,
  );
  return cost.usd ? usdToPico(cost.usd) : hold.amountPico;
}
