import type { ProvidersReliability } from '../api/admin-types';
import { formatInt, formatMs, formatPercent } from '../format/format-numbers';

const BREAKER_LABEL = { closed: 'closed', open: 'open', 'half-open': 'half-open' } as const;

/** Per provider: requests, failure rate, latency p50/p95, time to first token, breaker. */
export function ProvidersTable({ reliability }: { reliability?: ProvidersReliability }) {
  if (!reliability) return <p className="muted">Loading…</p>;
  if (!reliability.providers.length) return <p className="muted">No provider configured and no calls.</p>;
  return (
    <div className="table-wrap">
      <table className="table" data-testid="providers">
        <thead>
          <tr>
            <th>Provider</th>
            <th className="num">Requests</th>
            <th className="num">Failure rate</th>
            <th className="num">p50</th>
            <th className="num">p95</th>
            <th className="num" title="Time to first token of streams, p50">
              TTFT p50
            </th>
            <th>Breaker</th>
          </tr>
        </thead>
        <tbody>
          {reliability.providers.map((p) => (
            <tr key={p.provider} data-provider={p.provider}>
              <td>
                <span title={p.displayName ?? undefined}>{p.provider}</span>
                {p.demo && <span className="badge badge-demo">demo</span>}
                {!p.configured && (
                  <span className="badge" title="Seen in the usage rows, not configured now">
                    not configured
                  </span>
                )}
              </td>
              <td className="num">{formatInt(p.requests)}</td>
              <td className="num" data-testid="provider-failure-rate">
                {formatPercent(p.failureRate)}
              </td>
              <td className="num">{formatMs(p.latencyMs.p50)}</td>
              <td className="num">{formatMs(p.latencyMs.p95)}</td>
              <td className="num">{formatMs(p.timeToFirstTokenMs.p50)}</td>
              <td>
                {p.breaker ? (
                  <span className={`chip chip-${p.breaker}`}>{BREAKER_LABEL[p.breaker]}</span>
                ) : (
                  <span className="muted">—</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
