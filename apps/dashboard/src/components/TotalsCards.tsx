import type { ProvidersReliability, UsageSummary } from '../api/admin-types';
import { formatInt, formatPercent } from '../format/format-numbers';
import { Usd } from './Usd';

/**
 * The range's totals: cost, requests and tokens from the summary, failure rate from the
 * providers endpoint; each shown as the API gave it. `data-from`/`data-to` name the
 * range the numbers are for (the API's own echo of it).
 */
export function TotalsCards({
  summary,
  reliability,
  loading,
}: {
  summary?: UsageSummary;
  reliability?: ProvidersReliability;
  loading: boolean;
}) {
  const totals = summary?.totals;
  return (
    <section
      className="cards"
      aria-label="Totals"
      aria-busy={loading}
      data-testid="totals"
      data-state={loading ? 'loading' : 'ready'}
      data-from={summary?.from}
      data-to={summary?.to}
    >
      <div className="card card-wide">
        <h3>Cost</h3>
        <div className="card-value">{totals ? <Usd value={totals.costUsd} testId="total-cost" /> : '…'}</div>
        <p className="muted">USD, exact</p>
      </div>
      <div className="card">
        <h3>Requests</h3>
        <div className="card-value" data-testid="total-requests">
          {totals ? formatInt(totals.requests) : '…'}
        </div>
        <p className="muted" data-testid="total-failures">
          {totals ? `${formatInt(totals.failures)} failed` : ' '}
        </p>
      </div>
      <div className="card">
        <h3>Failure rate</h3>
        <div className="card-value" data-testid="failure-rate">
          {reliability ? formatPercent(reliability.totals.failureRate) : '…'}
        </div>
        <p className="muted">of all provider calls</p>
      </div>
      <div className="card card-wide">
        <h3>Tokens</h3>
        <div className="card-value" data-testid="total-tokens">
          {totals ? formatInt(totals.totalTokens) : '…'}
        </div>
        <p className="muted" data-testid="total-token-split">
          {totals ? `${formatInt(totals.promptTokens)} in · ${formatInt(totals.completionTokens)} out` : ' '}
        </p>
      </div>
    </section>
  );
}
