import type { BudgetSpend } from '@aigw/ai';
import { Decimal } from 'decimal.js';
import { DEFAULT_ALERT_THRESHOLDS } from '../budgets/budget.js';

const DAY_MS = 24 * 60 * 60 * 1000;
/** How long the claim of a `total` budget's alert lasts (it never resets). */
const TEN_YEARS_MS = 3653 * DAY_MS;

/** The rule's thresholds (0 < t <= 1, deduplicated, ascending) that the spend has reached. */
export function crossedThresholds(spend: Pick<BudgetSpend, 'rule' | 'amountUsd' | 'spentUsd'>): number[] {
  const thresholds = spend.rule.alertThresholds ?? DEFAULT_ALERT_THRESHOLDS;
  const amount = new Decimal(spend.amountUsd);
  const spent = new Decimal(spend.spentUsd);
  const valid = thresholds.filter((t) => Number.isFinite(t) && t > 0 && t <= 1);
  // String(t) is the shortest decimal that reads back as t (0.8, not 0.8000000000000000444).
  return [...new Set(valid)]
    .sort((a, b) => a - b)
    .filter((t) => spent.gte(amount.mul(new Decimal(String(t)))));
}

/**
 * The LimitStore key whose first hit claims the alert of (account, amount, threshold) for
 * every replica: a budget raised (or lowered) in its period alerts again at its new amount.
 */
export function alertClaimKey(account: string, amountUsd: string, threshold: number): string {
  return `alert:${account}:${amountUsd}:${threshold}`;
}

/** How long a claim must last: until the period ends plus a day, or ten years for `total`. */
export function alertClaimTtlMs(resetsAtMs: number | null, nowMs: number): number {
  if (resetsAtMs === null) return TEN_YEARS_MS;
  return Math.max(0, resetsAtMs - nowMs) + DAY_MS;
}
