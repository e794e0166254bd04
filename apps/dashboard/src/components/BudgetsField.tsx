import { useId } from 'react';
import type { BudgetPeriod } from '../api/admin-types';
import { type BudgetDraft, freePeriod } from './key-limits';

/** The periods a budget can have, as the form names them. */
export const PERIOD_LABELS: Record<BudgetPeriod, string> = {
  daily: 'per day',
  weekly: 'per week',
  monthly: 'per month',
  total: 'in total',
};

const testIdOf = (prefix: string, what: string, index: number) =>
  `${prefix}-${what}${index ? `-${index}` : ''}`;

/**
 * A list of budgets to edit: an amount (USD) and its period per row, rows added and
 * removed; a blank amount is no budget. Test ids: `<prefix>-budget`, `<prefix>-budget-period`
 * for the first row, `-1`, `-2`… after them for the next.
 */
export function BudgetsField({
  budgets,
  onChange,
  testIdPrefix,
  newPeriod = 'monthly',
}: {
  budgets: BudgetDraft[];
  onChange: (budgets: BudgetDraft[]) => void;
  testIdPrefix: string;
  newPeriod?: BudgetPeriod;
}) {
  // At least one row, so "none" is a blank amount rather than an empty list.
  const rows = budgets.length ? budgets : [{ amount: '', period: newPeriod }];
  const change = (index: number, row: BudgetDraft) => onChange(rows.map((r, i) => (i === index ? row : r)));
  const labelId = useId();
  return (
    <fieldset className="field budgets-field" aria-labelledby={labelId}>
      <div className="budgets-head">
        <span id={labelId}>Budgets (USD)</span>
        <button
          type="button"
          className="link-button small"
          onClick={() => onChange([...rows, { amount: '', period: freePeriod(rows, newPeriod) }])}
          data-testid={`${testIdPrefix}-add-budget`}
        >
          + add
        </button>
      </div>
      {rows.map((row, index) => (
        <div className="budget-row" key={index}>
          <input
            value={row.amount}
            onChange={(e) => change(index, { ...row, amount: e.target.value })}
            inputMode="decimal"
            placeholder="none"
            aria-label={`Budget ${index + 1} amount (USD)`}
            data-testid={testIdOf(testIdPrefix, 'budget', index)}
          />
          <select
            value={row.period}
            onChange={(e) => change(index, { ...row, period: e.target.value as BudgetPeriod })}
            aria-label={`Budget ${index + 1} period`}
            data-testid={testIdOf(testIdPrefix, 'budget-period', index)}
          >
            {Object.entries(PERIOD_LABELS).map(([period, label]) => (
              <option key={period} value={period}>
                {label}
              </option>
            ))}
          </select>
          {rows.length > 1 && (
            <button
              type="button"
              className="button button-small button-quiet"
              onClick={() => onChange(rows.filter((_, i) => i !== index))}
              aria-label={`Remove budget ${index + 1}`}
            >
              ✕
            </button>
          )}
        </div>
      ))}
    </fieldset>
  );
}
