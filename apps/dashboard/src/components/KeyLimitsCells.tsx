import type { ApiKeyView, TeamView } from '../api/admin-types';
import { formatInt, formatUtc } from '../format/format-numbers';
import { PERIOD_LABELS } from './BudgetsField';
import { Usd } from './Usd';

const none = <span className="muted">none</span>;

/** A key's team by name (its id when the team is not in the list). */
export function KeyTeam({ teamId, teams }: { teamId: string | null; teams: TeamView[] | undefined }) {
  if (!teamId) return <span className="muted">—</span>;
  const team = teams?.find((t) => t.id === teamId);
  return (
    <span className="ellipsis-inline" title={teamId} data-team-id={teamId}>
      {team?.name ?? `${teamId.slice(0, 8)}…`}
    </span>
  );
}

/** A key's budgets, one a line: `$25.00 per month`. Older gateways give only `budgetUsd`. */
export function KeyBudgets({ apiKey }: { apiKey: ApiKeyView }) {
  const budgets =
    apiKey.budgets ??
    (apiKey.budgetUsd === null ? [] : [{ amountUsd: apiKey.budgetUsd, period: 'total' as const }]);
  if (!budgets.length) return none;
  return (
    <div className="cell-lines">
      {budgets.map((b, i) => (
        <span key={i} className="nowrap" data-budget-period={b.period}>
          <Usd value={b.amountUsd} /> <span className="muted small">{PERIOD_LABELS[b.period]}</span>
        </span>
      ))}
    </div>
  );
}

/** A key's rate limits, one a line: `60 rpm`, `10,000 tpm`, `4 parallel`. */
export function KeyRateLimits({ apiKey }: { apiKey: ApiKeyView }) {
  const limits: [string, number | null | undefined][] = [
    ['rpm', apiKey.rpmLimit],
    ['tpm', apiKey.tpmLimit],
    ['parallel', apiKey.maxParallel],
  ];
  const set = limits.filter((l): l is [string, number] => l[1] != null);
  if (!set.length) return none;
  return (
    <div className="cell-lines">
      {set.map(([unit, value]) => (
        <span key={unit} className="nowrap" data-limit={unit}>
          {formatInt(value)} <span className="muted small">{unit}</span>
        </span>
      ))}
    </div>
  );
}

/** The model patterns a key may call, or `any`. */
export function KeyModels({ models }: { models: string[] | undefined }) {
  if (!models?.length) return <span className="muted">any</span>;
  return (
    <div className="cell-lines" data-models={models.join(',')}>
      {models.map((m) => (
        <code key={m}>{m}</code>
      ))}
    </div>
  );
}

/** When a key stops working, or `never`. */
export function KeyExpiry({ expiresAt }: { expiresAt: string | null | undefined }) {
  if (!expiresAt) return <span className="muted">never</span>;
  return <span className="nowrap">{formatUtc(expiresAt).replace(' UTC', '')}</span>;
}
