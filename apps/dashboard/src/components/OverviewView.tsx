import { useState } from 'react';
import type { AdminClient } from '../api/admin-client';
import type { ProvidersReliability, TopUsers, UsageSummary } from '../api/admin-types';
import { useAdminQuery } from '../hooks/use-admin-query';
import type { TimeRange } from '../range/time-range';
import { CostChart, type CostChartBy } from './CostChart';
import { DemoBanner } from './DemoBanner';
import { ErrorNotice } from './ErrorNotice';
import { FirstCallHelp } from './FirstCallHelp';
import { ProvidersTable } from './ProvidersTable';
import { RequestTypesTable } from './RequestTypesTable';
import { TopUsersTable } from './TopUsersTable';
import { TotalsCards } from './TotalsCards';

/** "Where did the money go?": totals, cost per day, cost by request type, top users, providers. */
export function OverviewView({
  client,
  range,
  refresh,
}: {
  client: AdminClient;
  range: TimeRange;
  refresh: number;
}) {
  const [by, setBy] = useState<CostChartBy>('provider');
  const key = `${range.from}|${range.to}|${refresh}`;
  const span = { from: range.from, to: range.to };
  const totals = useAdminQuery(key, (signal) =>
    client.get<UsageSummary>('/admin/usage/summary', span, signal),
  );
  const days = useAdminQuery(key, (signal) =>
    client.get<UsageSummary>('/admin/usage/summary', { ...span, groupBy: 'day' }, signal),
  );
  const series = useAdminQuery(`${key}|${by}`, (signal) =>
    client.get<UsageSummary>('/admin/usage/summary', { ...span, groupBy: `day,${by}` }, signal),
  );
  const types = useAdminQuery(key, (signal) =>
    client.get<UsageSummary>('/admin/usage/summary', { ...span, groupBy: 'requestType' }, signal),
  );
  const providers = useAdminQuery(key, (signal) =>
    client.get<ProvidersReliability>('/admin/usage/providers', span, signal),
  );
  const users = useAdminQuery(key, (signal) =>
    client.get<TopUsers>('/admin/usage/users', { ...span, limit: 10 }, signal),
  );
  const empty = totals.data?.totals.requests === 0;

  return (
    <div className="overview">
      {providers.data && <DemoBanner providers={providers.data.providers} />}
      {totals.error ? (
        <ErrorNotice error={totals.error} onRetry={totals.reload} />
      ) : (
        <TotalsCards
          summary={totals.data}
          reliability={providers.data}
          loading={totals.loading || providers.loading}
        />
      )}
      {empty && <FirstCallHelp />}
      <section className="panel">
        <div className="panel-head">
          <h2>Cost per day</h2>
          <fieldset className="segmented segmented-small" aria-label="Stack the chart by">
            {(['provider', 'model'] as const).map((option) => (
              <button
                key={option}
                type="button"
                className={by === option ? 'active' : ''}
                aria-pressed={by === option}
                onClick={() => setBy(option)}
                data-testid={`chart-by-${option}`}
              >
                by {option}
              </button>
            ))}
          </fieldset>
        </div>
        {series.error ? (
          <ErrorNotice error={series.error} onRetry={series.reload} />
        ) : (
          <CostChart range={range} by={by} series={series.data} dayTotals={days.data} />
        )}
      </section>
      <section className="panel">
        <div className="panel-head">
          <h2>Cost by request type</h2>
          <span className="muted">chat, embeddings, responses, images and audio</span>
        </div>
        {types.error ? (
          <ErrorNotice error={types.error} onRetry={types.reload} />
        ) : (
          <RequestTypesTable summary={types.data} />
        )}
      </section>
      <div className="columns">
        <section className="panel">
          <div className="panel-head">
            <h2>Top users by cost</h2>
            {users.data && users.data.totalUsers > users.data.rows.length && (
              <span className="muted">
                top {users.data.rows.length} of {users.data.totalUsers}
              </span>
            )}
          </div>
          {users.error ? (
            <ErrorNotice error={users.error} onRetry={users.reload} />
          ) : (
            <TopUsersTable users={users.data} />
          )}
        </section>
        <section className="panel">
          <div className="panel-head">
            <h2>Providers</h2>
            <span className="muted">latency of successful calls</span>
          </div>
          {providers.error ? (
            <ErrorNotice error={providers.error} onRetry={providers.reload} />
          ) : (
            <ProvidersTable reliability={providers.data} />
          )}
        </section>
      </div>
    </div>
  );
}
