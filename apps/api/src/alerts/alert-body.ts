import type { BudgetRule, BudgetSpend } from '@aigw/ai';
import { Decimal } from 'decimal.js';

/** How an alert is written: the gateway's JSON body, or Slack's incoming-webhook `{ text }`. */
export type AlertFormat = 'json' | 'slack';

/** The JSON body of a budget alert, as receivers get it. */
export interface BudgetAlertBody {
  type: 'budget.threshold_reached';
  /** The alert's id (a UUID), also in the `x-aigw-alert-id` header. */
  id: string;
  createdAt: string;
  /** The fraction of the amount that was reached (one of the rule's alertThresholds). */
  threshold: number;
  budget: {
    scope: BudgetRule['scope'];
    /** The key's, user's or team's id. */
    id: string;
    name: string | null;
    period: BudgetRule['period'];
    /** USD decimal strings. */
    amountUsd: string;
    spentUsd: string;
    /** spentUsd / amountUsd, rounded down to 4 decimals. */
    usedFraction: number;
    periodStart: string;
    /** Null for a `total` budget (it never resets). */
    resetsAt: string | null;
  };
  /** The call that reached the threshold. */
  apiKeyId: string | null;
  userId: string;
  teamId: string | null;
}

/** spent / amount, rounded down (a zero amount counts as fully used). */
function usedFraction(spentUsd: string, amountUsd: string, decimals: number): Decimal {
  const amount = new Decimal(amountUsd);
  if (amount.lte(0)) return new Decimal(1);
  return new Decimal(spentUsd).div(amount).toDecimalPlaces(decimals, Decimal.ROUND_DOWN);
}

/** The JSON body of the alert `id` for `spend` reaching `threshold`. */
export function budgetAlertBody(
  spend: BudgetSpend,
  threshold: number,
  id: string,
  nowMs: number,
): BudgetAlertBody {
  const { rule } = spend;
  return {
    type: 'budget.threshold_reached',
    id,
    createdAt: new Date(nowMs).toISOString(),
    threshold,
    budget: {
      scope: rule.scope,
      id: rule.id,
      name: rule.name ?? null,
      period: rule.period,
      amountUsd: spend.amountUsd,
      spentUsd: spend.spentUsd,
      usedFraction: usedFraction(spend.spentUsd, spend.amountUsd, 4).toNumber(),
      periodStart: new Date(spend.periodStartMs).toISOString(),
      resetsAt: spend.resetsAtMs === null ? null : new Date(spend.resetsAtMs).toISOString(),
    },
    apiKeyId: spend.apiKeyId ?? null,
    userId: spend.userId,
    teamId: spend.teamId ?? null,
  };
}

/** Slack's control characters in text, escaped. */
function slackEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A percentage of a fraction, e.g. 0.8 -> "80%", 0.8403 -> "84%" (rounded down). */
function percent(fraction: Decimal | number): string {
  return `${new Decimal(fraction).mul(100).toDecimalPlaces(0, Decimal.ROUND_DOWN).toFixed()}%`;
}

/**
 * The alert as one readable line: whose budget, which period, spent of amount (NN%), the
 * threshold, the call that reached it and when the budget resets.
 */
export function slackAlertText(alert: BudgetAlertBody): string {
  const { budget } = alert;
  const owner = `${budget.scope} "${budget.name ?? budget.id}"`;
  const budgetName = budget.period === 'total' ? 'total budget' : `${budget.period} budget`;
  const caller = [
    budget.scope !== 'user' || budget.id !== alert.userId ? `user ${alert.userId}` : undefined,
    alert.apiKeyId && !(budget.scope === 'key' && budget.id === alert.apiKeyId)
      ? `key ${alert.apiKeyId}`
      : undefined,
    alert.teamId && !(budget.scope === 'team' && budget.id === alert.teamId)
      ? `team ${alert.teamId}`
      : undefined,
  ].filter((part) => part !== undefined);
  const used = percent(usedFraction(budget.spentUsd, budget.amountUsd, 6));
  const resets = budget.resetsAt === null ? 'it never resets' : `it resets at ${budget.resetsAt}`;
  const line =
    `Budget alert: ${owner} has spent $${budget.spentUsd} of its $${budget.amountUsd} ${budgetName} (${used}),` +
    ` reaching the ${percent(alert.threshold)} threshold` +
    (caller.length ? ` (last call: ${caller.join(', ')})` : '') +
    `; ${resets}.`;
  return slackEscape(line);
}

/** The raw request body of `alert` in `format`. */
export function alertRequestBody(alert: BudgetAlertBody, format: AlertFormat): string {
  return JSON.stringify(format === 'slack' ? { text: slackAlertText(alert) } : alert);
}
