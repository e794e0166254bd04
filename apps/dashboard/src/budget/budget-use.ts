import type { BudgetPeriod } from '../api/admin-types';
import { usdParts } from '../format/format-usd';

/** A budget bar's colour: below the alert threshold, at or above it, at or above the cap. */
export type BudgetState = 'ok' | 'alert' | 'exceeded';

/** How much of a budget is used, computed exactly from the API's decimal strings. */
export interface BudgetUse {
  state: BudgetState;
  /** Whole percent used, rounded down (so 99.9% never reads as 100%); may pass 100. */
  percent: number;
  /** The bar's fill, 0..1 (spent / amount, capped at 1). */
  fill: number;
  /** The lowest alert threshold (default 0.8). */
  threshold: number;
  /** `$8.00 of $10.00 this month (80%)`. */
  text: string;
}

/** The default alert threshold, as the API's. */
export const DEFAULT_ALERT_THRESHOLD = 0.8;

const SCALE = 12;
const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

/** A decimal string as an integer of 10^-12 units (extra digits cut); NaN-like input is 0. */
function units(value: string): bigint {
  const match = DECIMAL.exec(value.trim());
  if (!match) return 0n;
  const [, sign = '', whole = '0', fraction = ''] = match;
  const n = BigInt(whole + fraction.slice(0, SCALE).padEnd(SCALE, '0'));
  return sign ? -n : n;
}

/** A threshold fraction (0.8) in the same 10^-12 units. */
const thresholdUnits = (t: number) => units(t.toFixed(SCALE));

/** The words of a period after an amount: `this month`. */
export const PERIOD_WORDS: Record<BudgetPeriod, string> = {
  daily: 'today',
  weekly: 'this week',
  monthly: 'this month',
  total: 'in total',
};

/** The lowest of a budget's thresholds that makes sense (0 < t <= 1), else the default. */
export function alertThreshold(thresholds: number[] | undefined): number {
  const valid = (thresholds ?? []).filter((t) => Number.isFinite(t) && t > 0 && t <= 1);
  return valid.length ? Math.min(...valid) : DEFAULT_ALERT_THRESHOLD;
}

/**
 * Where `spentUsd` stands against `amountUsd`: `exceeded` at or above the cap, `alert` at
 * or above the lowest threshold, else `ok`. Compared in exact decimals, so $2.40 of $3.00
 * is 80% (floats make it 79.99…%). A zero budget is exceeded from the start.
 */
export function budgetUse(budget: {
  amountUsd: string;
  spentUsd: string;
  period: BudgetPeriod;
  alertThresholds?: number[];
}): BudgetUse {
  const amount = units(budget.amountUsd);
  const spent = units(budget.spentUsd);
  const threshold = alertThreshold(budget.alertThresholds);
  let state: BudgetState;
  if (spent >= amount) state = 'exceeded';
  else if (spent * 10n ** BigInt(SCALE) >= thresholdUnits(threshold) * amount) state = 'alert';
  else state = 'ok';
  const percent = amount > 0n ? Number((spent * 100n) / amount) : spent > 0n ? 100 : 0;
  const fill = amount > 0n ? Math.min(1, Math.max(0, Number((spent * 10_000n) / amount) / 10_000)) : 1;
  const text = `${usdParts(budget.spentUsd).main} of ${usdParts(budget.amountUsd).main} ${PERIOD_WORDS[budget.period]} (${percent}%)`;
  return { state, percent, fill, threshold, text };
}
