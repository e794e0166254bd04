import { AIError } from '../errors/ai-error.js';
import type { BudgetRule, CallContext, LimitScope } from '../types/call-context.js';
import { BudgetHold, type HeldAccount, type HoldLogger } from './budget-hold.js';
import { type BudgetWindow, budgetWindow } from './budget-period.js';
import type { BudgetSpend, BudgetSpendListener } from './budget-spend.js';
import type { LimitStore } from './limit-store.js';
import { picoToUsd, usdToPico } from './pico-usd.js';

/** What a key, user or team has spent since `sinceMs` (0: ever) in USD (a decimal string), from the usage log. */
export type SpentLoader = (scope: LimitScope, id: string, sinceMs: number) => Promise<string>;

/** Options of a BudgetLedger. */
export interface BudgetLedgerOptions {
  /** How long a reservation outlives a process that died mid-call (default 120000). */
  reservationTtlMs?: number;
  /** The IANA time zone of calendar periods (default UTC). */
  timeZone?: string;
  /** The clock periods are read from (default Date.now). */
  now?: () => number;
  /** Told each budget's spend after a call settled (spend alerts). */
  onSpend?: BudgetSpendListener;
  logger?: HoldLogger;
}

/** A budget as it stands in its current period. */
export interface BudgetStanding {
  rule: BudgetRule;
  window: BudgetWindow;
  account: string;
  spentPico: bigint;
  reservedPico: bigint;
}

/** The order budgets are reserved in: the most shared first. */
const LEVEL: Record<LimitScope, number> = { team: 0, user: 1, key: 2 };

/** A period's account lives on this long past its end, for calls of its last moments that settle late. */
const ACCOUNT_GRACE_MS = 24 * 60 * 60 * 1000;

/**
 * Budgets with periods, at every level: each call reserves its worst-case cost in the
 * account of every budget above it (its key's, user's, team's; each period an account of
 * its own, seeded from the usage log since the period's start), is refused when one does
 * not fit, and settles to its real cost in all of them. Reservations are atomic per
 * account, so concurrent calls never commit more than a budget; a call refused by one
 * account releases what it took in the others.
 */
export class BudgetLedger {
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(
    private readonly store: LimitStore,
    private readonly loadSpent: SpentLoader,
    private readonly options: BudgetLedgerOptions = {},
  ) {
    this.ttlMs = options.reservationTtlMs ?? 120_000;
    this.now = options.now ?? Date.now;
  }

  /** The budgets a call must fit: its context's, and its key's lifetime `budgetUsd`. */
  rulesOf(context: CallContext): BudgetRule[] {
    const rules = [...(context.limits?.budgets ?? [])];
    const budgetUsd = context.limits?.budgetUsd;
    const keyId = context.apiKeyId;
    if (
      budgetUsd !== undefined &&
      budgetUsd !== null &&
      keyId &&
      !rules.some((r) => r.scope === 'key' && r.period === 'total')
    )
      rules.push({ scope: 'key', id: keyId, amountUsd: budgetUsd, period: 'total' });
    return rules;
  }

  /** Where a budget stands now: its period, spent (settled) and held amounts. */
  async standing(rule: BudgetRule): Promise<BudgetStanding> {
    const { window, account } = await this.open(rule);
    const balance = await this.store.balance(account);
    return { rule, window, account, ...balance };
  }

  /**
   * Reserves `amountPico` in every budget of `rules`, or throws budget_exceeded naming the
   * first that does not fit; undefined when there is no budget.
   */
  async reserve(
    rules: readonly BudgetRule[],
    amountPico: bigint,
    context: CallContext,
    describeCall: () => string,
  ): Promise<LedgerHold | undefined> {
    if (!rules.length) return undefined;
    // The widest level first (team, user, key): a call a team refuses then never holds, even
    // briefly, money in its key's account that a concurrent call of that key would be refused for.
    const ordered = [...rules].sort((a, b) => LEVEL[a.scope] - LEVEL[b.scope]);
    const opened = await Promise.all(ordered.map((rule) => this.open(rule)));
    const held: HeldAccount[] = [];
    for (const { rule, window, account } of opened) {
      const limit = usdToPico(rule.amountUsd, 'floor');
      let reserved: Awaited<ReturnType<LimitStore['reserve']>>;
      try {
        reserved = await this.store.reserve(account, amountPico, limit, this.ttlMs);
      } catch (error) {
        await this.release(held);
        throw error;
      }
      if (!reserved.ok || !reserved.reservationId) {
        await this.release(held);
        throw budgetExceeded(rule, window, amountPico, limit, reserved, describeCall());
      }
      held.push({ account, reservationId: reserved.reservationId });
    }
    const hold = new BudgetHold(this.store, held, amountPico, this.ttlMs, this.options.logger);
    return new LedgerHold(hold, opened, context, this.options.onSpend);
  }

  /** A budget's period now and its account, seeded from the usage log once per period. */
  private async open(rule: BudgetRule): Promise<{ rule: BudgetRule; window: BudgetWindow; account: string }> {
    const window = budgetWindow(rule.period, this.now(), this.options.timeZone);
    const account =
      rule.period === 'total'
        ? totalAccount(rule)
        : `${rule.scope}:${rule.id}:${rule.period}:${window.startMs}`;
    await this.store.ensureSeeded(
      account,
      async () => usdToPico(await this.loadSpent(rule.scope, rule.id, window.startMs)),
      window.resetsAtMs === null ? undefined : window.resetsAtMs + ACCOUNT_GRACE_MS,
    );
    return { rule, window, account };
  }

  private async release(held: HeldAccount[]): Promise<void> {
    await Promise.all(
      held.map(({ account, reservationId }) =>
        this.store.settle(account, reservationId, 0n).catch(() => undefined),
      ),
    );
  }
}

/** A lifetime budget's account; a key's keeps the name it had before budgets had periods. */
function totalAccount(rule: BudgetRule): string {
  return rule.scope === 'key' ? `key:${rule.id}` : `${rule.scope}:${rule.id}:total`;
}

/** One call's reservations in all its budgets; settling tells the spend listener. */
export class LedgerHold {
  constructor(
    private readonly hold: BudgetHold,
    private readonly budgets: readonly { rule: BudgetRule; window: BudgetWindow; account: string }[],
    private readonly context: CallContext,
    private readonly onSpend?: BudgetSpendListener,
  ) {}

  get amountPico(): bigint {
    return this.hold.amountPico;
  }

  get settled(): boolean {
    return this.hold.settled;
  }

  /** Settles every reservation to the real cost. Never throws. */
  async settle(actualPico: bigint): Promise<void> {
    const spent = await this.hold.settle(actualPico);
    if (!this.onSpend || actualPico === 0n) return;
    this.budgets.forEach(({ rule, window, account }, i) => {
      const spentPico = spent[i];
      if (spentPico === undefined) return;
      const event: BudgetSpend = {
        rule,
        account,
        amountUsd: rule.amountUsd,
        spentUsd: picoToUsd(spentPico),
        periodStartMs: window.startMs,
        resetsAtMs: window.resetsAtMs,
        apiKeyId: this.context.apiKeyId,
        userId: this.context.userId,
        teamId: this.context.teamId,
      };
      try {
        this.onSpend?.(event);
      } catch {
        // A listener's failure is its own; the call's outcome stands.
      }
    });
  }
}

const SUBJECT: Record<LimitScope, string> = { key: 'this API key', user: 'user', team: 'team' };
const PERIOD_WORD = { daily: 'daily ', weekly: 'weekly ', monthly: 'monthly ', total: '' } as const;
const WHOSE: Record<LimitScope, string> = {
  key: "the key's budgets",
  user: "the user's budgets (PUT /admin/users/{userId})",
  team: "the team's budgets (PATCH /admin/teams/{id})",
};

/** The refusal: whose budget, its period, what is spent and held, what this call could cost, when it resets. */
function budgetExceeded(
  rule: BudgetRule,
  window: BudgetWindow,
  amountPico: bigint,
  limitPico: bigint,
  balance: { spentPico: bigint; reservedPico: bigint },
  call: string,
): AIError {
  const held =
    balance.reservedPico > 0n ? ` and $${picoToUsd(balance.reservedPico)} is held by calls in progress` : '';
  const resetsAt = window.resetsAtMs === null ? null : new Date(window.resetsAtMs).toISOString();
  const subject = rule.scope === 'key' ? SUBJECT.key : `${SUBJECT[rule.scope]} "${rule.name ?? rule.id}"`;
  const legacy = rule.scope === 'key' && rule.period === 'total';
  return new AIError(
    'budget_exceeded',
    `Budget exceeded for ${subject}: its ${PERIOD_WORD[rule.period]}budget is $${picoToUsd(limitPico)}, ` +
      `$${picoToUsd(balance.spentPico)} is spent${rule.period === 'total' ? '' : ' this period'}${held}, ` +
      `and this call could cost up to $${picoToUsd(amountPico)} (${call}). ` +
      (resetsAt ? `It resets at ${resetsAt}. ` : '') +
      `An admin can raise ${legacy ? "the key's budgetUsd" : WHOSE[rule.scope]}.`,
    {
      retryable: false,
      limit: { scope: rule.scope, kind: 'budget' },
      budget: {
        scope: rule.scope,
        id: rule.id,
        ...(rule.name ? { name: rule.name } : {}),
        period: rule.period,
        amountUsd: picoToUsd(limitPico),
        spentUsd: picoToUsd(balance.spentPico),
        reservedUsd: picoToUsd(balance.reservedPico),
        callUsd: picoToUsd(amountPico),
        resetsAt,
      },
    },
  );
}
