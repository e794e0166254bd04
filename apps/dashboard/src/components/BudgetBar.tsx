import type { BudgetStatus } from '../api/admin-types';
import { budgetUse } from '../budget/budget-use';
import { formatUtc } from '../format/format-numbers';

/** What a screen reader hears after the amounts, for the colour it cannot see. */
const STATE_WORDS = {
  alert: ': past its alert threshold',
  exceeded: ': budget used up, calls refused',
} as const;

/**
 * Spend against one budget as a bar: neutral below its alert threshold, amber at or above
 * it, red at or above the cap. The state is in `data-state` (ok | alert | exceeded) and the
 * class; the words (`$8.00 of $10.00 this month (80%)`) are the bar's text.
 */
export function BudgetBar({
  budget,
  compact = false,
  testId,
}: {
  budget: Pick<BudgetStatus, 'amountUsd' | 'spentUsd' | 'period' | 'alertThresholds'> &
    Partial<Pick<BudgetStatus, 'resetsAt'>>;
  compact?: boolean;
  testId?: string;
}) {
  const use = budgetUse(budget);
  const resets = budget.resetsAt ? `resets ${formatUtc(budget.resetsAt)}` : undefined;
  const title = [use.text, `alert at ${Math.round(use.threshold * 100)}%`, resets].filter(Boolean).join('; ');
  return (
    <div
      className={`budget-bar budget-bar-${use.state}${compact ? ' budget-bar-compact' : ''}`}
      data-state={use.state}
      data-period={budget.period}
      data-testid={testId}
      title={title}
    >
      <div className="budget-bar-text">
        <span>
          {use.text}
          {use.state !== 'ok' && <span className="sr-only">{STATE_WORDS[use.state]}</span>}
        </span>
        {!compact && resets && <span className="muted small">{resets}</span>}
      </div>
      {/* The words above say it all; the bar is their picture. */}
      <div className="budget-bar-track" aria-hidden="true">
        <div className="budget-bar-fill" style={{ width: `${use.fill * 100}%` }} />
        <div className="budget-bar-mark" style={{ left: `${use.threshold * 100}%` }} />
      </div>
    </div>
  );
}

/** Each budget's bar, or a word when there are none. */
export function BudgetBars({
  spend,
  compact,
  empty = 'no budget',
}: {
  spend: BudgetStatus[];
  compact?: boolean;
  empty?: string;
}) {
  if (!spend.length) return <span className="muted">{empty}</span>;
  return (
    <div className="budget-bars">
      {spend.map((status) => (
        <BudgetBar key={`${status.period}|${status.amountUsd}`} budget={status} compact={compact} />
      ))}
    </div>
  );
}
