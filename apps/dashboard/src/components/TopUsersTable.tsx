import type { TopUsers } from '../api/admin-types';
import { formatInt, formatPercent } from '../format/format-numbers';
import { usdText } from '../format/format-usd';
import { Usd } from './Usd';

/** Budget use as a bar; its width is only a picture of the API's `used`. */
function BudgetUse({ budget }: { budget: TopUsers['rows'][number]['budget'] }) {
  if (!budget) return <span className="muted">no budget</span>;
  const used = budget.used ?? 0;
  const level = used >= 0.9 ? 'high' : used >= 0.7 ? 'medium' : 'low';
  return (
    <div
      className="budget"
      title={`${usdText(budget.spentUsd)} spent of ${usdText(budget.budgetUsd)} (all time)`}
    >
      <div className="budget-line">
        <span className={`budget-pct budget-${level}`}>{formatPercent(budget.used)}</span>
        <span className="muted">
          of <Usd value={budget.budgetUsd} />
        </span>
      </div>
      <div className="meter" aria-hidden="true">
        <div className={`meter-fill budget-${level}`} style={{ width: `${Math.min(100, used * 100)}%` }} />
      </div>
      {budget.unbudgetedKeys > 0 && (
        <span className="muted small">
          + {budget.unbudgetedKeys} key{budget.unbudgetedKeys === 1 ? '' : 's'} without a budget
        </span>
      )}
    </div>
  );
}

/** The users who cost the most in the range, with requests, tokens and budget use. */
export function TopUsersTable({ users }: { users?: TopUsers }) {
  if (!users) return <p className="muted">Loading…</p>;
  if (!users.rows.length) return <p className="muted">No users in this range.</p>;
  return (
    <div className="table-wrap">
      <table className="table" data-testid="top-users">
        <thead>
          <tr>
            <th>User</th>
            <th className="num">Cost</th>
            <th className="num">Requests</th>
            <th className="num">Tokens</th>
            <th>Budget use</th>
          </tr>
        </thead>
        <tbody>
          {users.rows.map((user) => (
            <tr key={user.userId} data-user={user.userId}>
              <td className="ellipsis" title={user.userId}>
                {user.userId}
              </td>
              <td className="num">
                <Usd value={user.costUsd} />
              </td>
              <td className="num">
                {formatInt(user.requests)}
                {user.failures > 0 && (
                  <span className="muted small"> ({formatInt(user.failures)} failed)</span>
                )}
              </td>
              <td className="num">{formatInt(user.totalTokens)}</td>
              <td>
                <BudgetUse budget={user.budget} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
