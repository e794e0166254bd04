import { type FormEvent, Fragment, useState } from 'react';
import type { AdminClient } from '../api/admin-client';
import type {
  ProvidersReliability,
  TeamListItem,
  UsageLogItem,
  UsageLogsPage,
  UsageSummary,
} from '../api/admin-types';
import { formatInt, formatMs, formatUtc } from '../format/format-numbers';
import { useAdminQuery } from '../hooks/use-admin-query';
import type { TimeRange } from '../range/time-range';
import { ErrorNotice } from './ErrorNotice';
import { Usd } from './Usd';

interface Filters {
  userId: string;
  teamId: string;
  provider: string;
  model: string;
  limit: number;
}

const NO_FILTERS: Filters = { userId: '', teamId: '', provider: '', model: '', limit: 50 };

/**
 * The usage log explorer: /admin/usage/logs with its filters and cursor paging, newest
 * first, within the page's range. One page is loaded at a time (50 rows unless chosen):
 * Older follows nextCursor; Newer goes back along the stack of cursors already seen, which
 * starts again whenever the range, the filters or a refresh change what the pages are.
 */
export function LogsView({
  client,
  range,
  refresh,
}: {
  client: AdminClient;
  range: TimeRange;
  refresh: number;
}) {
  const [draft, setDraft] = useState<Filters>(NO_FILTERS);
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  // cursors[i] opened page i+2; page 1 has no cursor. They belong to one query (`basis`).
  const basis = `${range.from}|${range.to}|${refresh}|${JSON.stringify(filters)}`;
  const [paging, setPaging] = useState<{ basis: string; cursors: string[] }>({ basis, cursors: [] });
  const cursors = paging.basis === basis ? paging.cursors : [];
  const setCursors = (next: string[]) => setPaging({ basis, cursors: next });
  const [open, setOpen] = useState<string>();
  const cursor = cursors.at(-1);
  const span = { from: range.from, to: range.to };

  const page = useAdminQuery(`${basis}|${cursor}`, (signal) =>
    client.get<UsageLogsPage>(
      '/admin/usage/logs',
      {
        ...span,
        userId: filters.userId,
        teamId: filters.teamId,
        provider: filters.provider,
        model: filters.model,
        limit: filters.limit,
        cursor,
      },
      signal,
    ),
  );
  // Choices for the filters: who and what the range has.
  const choices = useAdminQuery(`${range.from}|${range.to}|${refresh}`, (signal) =>
    client.get<UsageSummary>('/admin/usage/summary', { ...span, groupBy: 'user,provider,model' }, signal),
  );
  const providers = useAdminQuery(`${range.from}|${range.to}|${refresh}|providers`, (signal) =>
    client.get<ProvidersReliability>('/admin/usage/providers', span, signal),
  );
  // Teams by id, to name the team column and choose one (none on a gateway without teams).
  const teams = useAdminQuery(`${refresh}|teams`, (signal) =>
    client.get<{ data: TeamListItem[] }>('/admin/teams', undefined, signal),
  );
  const teamList = teams.data?.data ?? [];
  const teamName = (id: string) => teamList.find((t) => t.id === id)?.name ?? `${id.slice(0, 8)}…`;
  const items = page.data?.items ?? [];
  const showTeam = items.some((item) => item.teamId != null) || filters.teamId !== '';
  const users = [...new Set(choices.data?.rows.map((r) => r.userId ?? '') ?? [])].sort();
  const models = [
    ...new Set(
      choices.data?.rows
        .filter((r) => !draft.provider || r.provider === draft.provider)
        .map((r) => r.model ?? '') ?? [],
    ),
  ].sort();
  const providerNames = [
    ...new Set([
      ...(providers.data?.providers.map((p) => p.provider) ?? []),
      ...(choices.data?.rows.map((r) => r.provider ?? '') ?? []),
    ]),
  ].sort();

  function apply(event?: FormEvent) {
    event?.preventDefault();
    setCursors([]);
    setFilters({ ...draft, userId: draft.userId.trim(), model: draft.model.trim() });
  }

  return (
    <section className="panel">
      <form className="filters" onSubmit={apply} data-testid="log-filters">
        <label className="field">
          <span>User</span>
          <input
            list="log-users"
            value={draft.userId}
            placeholder="any"
            onChange={(e) => setDraft({ ...draft, userId: e.target.value })}
            data-testid="filter-user"
          />
          <datalist id="log-users">
            {users.map((u) => (
              <option key={u} value={u} />
            ))}
          </datalist>
        </label>
        {teamList.length > 0 && (
          <label className="field">
            <span>Team</span>
            <select
              value={draft.teamId}
              onChange={(e) => setDraft({ ...draft, teamId: e.target.value })}
              data-testid="filter-team"
            >
              <option value="">any</option>
              {teamList.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name}
                </option>
              ))}
            </select>
          </label>
        )}
        <label className="field">
          <span>Provider</span>
          <select
            value={draft.provider}
            onChange={(e) => setDraft({ ...draft, provider: e.target.value })}
            data-testid="filter-provider"
          >
            <option value="">any</option>
            {providerNames.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Model</span>
          <input
            list="log-models"
            value={draft.model}
            placeholder="any"
            onChange={(e) => setDraft({ ...draft, model: e.target.value })}
            data-testid="filter-model"
          />
          <datalist id="log-models">
            {models.map((m) => (
              <option key={m} value={m} />
            ))}
          </datalist>
        </label>
        <label className="field field-narrow">
          <span>Per page</span>
          <select
            value={draft.limit}
            onChange={(e) => setDraft({ ...draft, limit: Number(e.target.value) })}
            data-testid="filter-limit"
          >
            {[25, 50, 100, 200].map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
        <div className="filter-actions">
          <button type="submit" className="button button-primary" data-testid="apply-filters">
            Apply
          </button>
          <button
            type="button"
            className="button button-quiet"
            onClick={() => {
              setDraft(NO_FILTERS);
              setCursors([]);
              setFilters(NO_FILTERS);
            }}
          >
            Clear
          </button>
        </div>
      </form>

      {page.error && <ErrorNotice error={page.error} onRetry={page.reload} />}
      <div className="table-wrap">
        <table
          className="table table-logs"
          data-testid="logs-table"
          data-state={page.loading ? 'loading' : 'ready'}
          data-page={cursors.length + 1}
        >
          <thead>
            <tr>
              <th>Time (UTC)</th>
              <th>User</th>
              {showTeam && <th>Team</th>}
              <th>Provider / model</th>
              <th className="num">Tokens in → out</th>
              <th className="num">Cost</th>
              <th className="num">Latency</th>
              <th>Status</th>
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <Fragment key={item.id}>
                <tr
                  className={`log-row${open === item.id ? ' open' : ''}`}
                  data-log-id={item.id}
                  onClick={() => setOpen(open === item.id ? undefined : item.id)}
                >
                  <td className="nowrap">{formatUtc(item.createdAt, true).replace(' UTC', '')}</td>
                  <td className="ellipsis" title={item.userId}>
                    {item.userId}
                  </td>
                  {showTeam && (
                    <td className="ellipsis" title={item.teamId ?? undefined} data-cell="team">
                      {item.teamId ? teamName(item.teamId) : <span className="muted">—</span>}
                    </td>
                  )}
                  <td className="nowrap">
                    {item.provider}/{item.model}
                    {item.stream && <span className="badge">stream</span>}
                    {item.requestType !== 'chat' && <span className="badge">{item.requestType}</span>}
                  </td>
                  <td className="num nowrap">
                    {tokens(item.promptTokens)} → {tokens(item.completionTokens)}
                  </td>
                  <td className="num">
                    {item.costUsd === null ? <span className="muted">—</span> : <Usd value={item.costUsd} />}
                  </td>
                  <td className="num nowrap">{formatMs(item.latencyMs)}</td>
                  <td className="nowrap">
                    {item.isSuccess ? (
                      <span className="chip chip-closed">ok</span>
                    ) : (
                      <span className="chip chip-open">
                        {item.errorCode ?? 'error'}
                        {item.httpStatus ? ` ${item.httpStatus}` : ''}
                      </span>
                    )}
                  </td>
                </tr>
                {open === item.id && (
                  <tr className="log-details">
                    <td colSpan={showTeam ? 8 : 7}>
                      <LogDetails item={item} />
                    </td>
                  </tr>
                )}
              </Fragment>
            ))}
          </tbody>
        </table>
      </div>
      {page.data && !page.data.items.length && <p className="muted">No usage rows match.</p>}
      <div className="pager">
        <button
          type="button"
          className="button"
          disabled={!cursors.length || page.loading}
          onClick={() => setCursors(cursors.slice(0, -1))}
          data-testid="page-newer"
        >
          ← Newer
        </button>
        <span className="muted">Page {cursors.length + 1}</span>
        <button
          type="button"
          className="button"
          disabled={!page.data?.nextCursor || page.loading}
          onClick={() => page.data?.nextCursor && setCursors([...cursors, page.data.nextCursor])}
          data-testid="page-older"
        >
          Older →
        </button>
      </div>
    </section>
  );
}

const tokens = (n: number | null) => (n === null ? '?' : formatInt(n));

/** Everything the row holds, for the one the admin clicked. */
function LogDetails({ item }: { item: UsageLogItem }) {
  const fields: [string, string][] = [
    ['Request id', `${item.requestId} (attempt ${item.attempt})`],
    ['Requested model', item.requestedModel],
    [
      'Usage',
      `${item.usageSource}; cache read ${tokens(item.cacheReadTokens)}, reasoning ${tokens(item.reasoningTokens)}`,
    ],
    ['Time to first token', formatMs(item.timeToFirstTokenMs)],
    ['API key id', item.apiKeyId ?? '—'],
    ['Team id', item.teamId ?? '—'],
    ['Error', item.isSuccess ? '—' : `${item.errorCode ?? ''} ${item.httpStatus ?? ''}`.trim()],
  ];
  return (
    <div className="details">
      <dl>
        {fields.map(([name, value]) => (
          <Fragment key={name}>
            <dt>{name}</dt>
            <dd>{value}</dd>
          </Fragment>
        ))}
      </dl>
      <pre className="json">
        {JSON.stringify({ pricing: item.pricing, metadata: item.metadata }, null, 2)}
      </pre>
    </div>
  );
}
