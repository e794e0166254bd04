import type { BudgetPeriod, BudgetRule, LimitScope } from '@aigw/ai';

/** The periods a budget can have. */
export const BUDGET_PERIODS = [
  'daily',
  'weekly',
  'monthly',
  'total',
] as const satisfies readonly BudgetPeriod[];

/** The alert threshold a budget has when it names none: 80% of its amount. */
export const DEFAULT_ALERT_THRESHOLDS = [0.8];

/** A budget as stored (JSON on ApiKey, Team and UserBudget) and shown by the admin API. */
export interface Budget {
  /** USD per period, a decimal string. */
  amountUsd: string;
  period: BudgetPeriod;
  /** Fractions of the amount at which an alert goes out (default [0.8]). */
  alertThresholds: number[];
}

/** The budgets stored in a JSON column, ignoring anything that is not one. */
export function storedBudgets(json: unknown): Budget[] {
  if (!Array.isArray(json)) return [];
  return json.flatMap((b) =>
    b && typeof b === 'object' && typeof b.amountUsd === 'string' && BUDGET_PERIODS.includes(b.period)
      ? [
          {
            amountUsd: b.amountUsd,
            period: b.period,
            alertThresholds: Array.isArray(b.alertThresholds)
              ? b.alertThresholds.filter((t: unknown) => typeof t === 'number')
              : DEFAULT_ALERT_THRESHOLDS,
          },
        ]
      : [],
  );
}

/** A key's budgets: its stored list, plus its `budgetUsd` column as its `total` budget when the list has none. */
export function keyBudgets(json: unknown, budgetUsd: { toFixed(): string } | null): Budget[] {
  const list = storedBudgets(json);
  if (budgetUsd && !list.some((b) => b.period === 'total'))
    list.push({ amountUsd: budgetUsd.toFixed(), period: 'total', alertThresholds: DEFAULT_ALERT_THRESHOLDS });
  return list;
}

/** The rules the budget ledger enforces for one key, user or team. */
export function budgetRules(scope: LimitScope, id: string, budgets: Budget[], name?: string): BudgetRule[] {
  return budgets.map((b) => ({
    scope,
    id,
    ...(name ? { name } : {}),
    amountUsd: b.amountUsd,
    period: b.period,
    alertThresholds: b.alertThresholds,
  }));
}
