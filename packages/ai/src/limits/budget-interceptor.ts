import type { ModelCatalog } from '../catalog/model-catalog.js';
import { type CallCost, computeCost } from '../cost/compute-cost.js';
import type { CallInfo, CallInterceptor } from '../pipeline/call-interceptor.js';
import type { ChatRequest } from '../types/chat-request.js';
import type { ChatResult } from '../types/chat-result.js';
import type { ChatStreamPart } from '../types/chat-stream-part.js';
import type { EmbedRequest, EmbedResult } from '../types/embedding.js';
import type { MediaRequest, MediaResult } from '../types/media.js';
import { estimateRequestTokens, estimateTextTokens } from '../usage/estimate-tokens.js';
import { StreamedText } from '../usage/streamed-text.js';
import type { BudgetLedger, LedgerHold } from './budget-ledger.js';
import { usdToPico } from './pico-usd.js';
import { type WorstCase, worstCaseChatCost, worstCaseEmbedCost } from './worst-case-cost.js';
import { worstCaseMediaCost } from './worst-case-media-cost.js';

/**
 * Enforces USD budgets before the money is spent, so concurrent calls cannot run past
 * them: each call reserves its worst-case cost (see worst-case-cost.ts) in every budget of
 * its key, user and team (BudgetLedger), is refused with `budget_exceeded` when one does
 * not fit, and settles to its real cost when it ends.
 */
export class BudgetInterceptor implements CallInterceptor {
  constructor(
    private readonly ledger: BudgetLedger,
    private readonly catalog: ModelCatalog,
  ) {}

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

  async wrapMedia(
    call: CallInfo,
    request: MediaRequest,
    next: (r: MediaRequest) => Promise<MediaResult>,
  ): Promise<MediaResult> {
    const hold = await this.hold(call, () => worstCaseMediaCost(request, this.pricing(call)));
    if (!hold) return next(request);
    let result: MediaResult;
    try {
      result = await next(request);
    } catch (error) {
      await hold.settle(0n);
      throw error;
    }
    // Settled once the answer has been read, at the cost its row records.
    const outcome = result.outcome.then(async (used) => {
      // The outcome never rejects: a settle that fails leaves the hold to lapse.
      await hold.settle(costOf(used.cost, hold)).catch(() => {});
      return used;
    });
    return { ...result, outcome };
  }

  private pricing(call: CallInfo) {
    return this.catalog.pricing(call.provider.name, call.model);
  }

  /** Reserves the call's worst case in each of its budgets, or throws budget_exceeded; undefined when none applies. */
  private async hold(
    call: CallInfo,
    worstCase: () => WorstCase | undefined,
  ): Promise<LedgerHold | undefined> {
    const rules = this.ledger.rulesOf(call.context);
    if (!rules.length) return undefined;
    const worst = worstCase();
    // An unpriced model's cost is unknown, so there is nothing to reserve: the call is
    // allowed, and its usage row records the cost as unknown (null), never as free.
    if (!worst) return undefined;
    return this.ledger.reserve(rules, usdToPico(worst.usd), call.context, () => describeCall(call, worst));
  }
}

/** The call a refusal names: the target and its worst-case tokens. */
function describeCall(call: CallInfo, worst: WorstCase): string {
  const tokens = worst.describe
    ? worst.describe
    : worst.outputTokens
      ? `about ${worst.promptTokens} prompt tokens + up to ${worst.outputTokens} output tokens; a lower max_tokens needs less`
      : `about ${worst.promptTokens} input tokens`;
  return `${call.provider.name}/${call.model}: ${tokens}`;
}

/**
 * The real cost of a finished call. A priced model whose usage is unknown keeps its
 * worst case: its row has no cost, but it must not run free past the budget.
 */
function costOf(cost: CallCost | undefined, hold: LedgerHold): bigint {
  return cost?.usd ? usdToPico(cost.usd) : hold.amountPico;
}

/** A cut stream's cost as UsageInterceptor estimates it for its row: the prompt, and the output so far. */
function estimatedCost(
  request: ChatRequest,
  text: string,
  pricing: Parameters<typeof computeCost>[1],
  hold: LedgerHold,
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
