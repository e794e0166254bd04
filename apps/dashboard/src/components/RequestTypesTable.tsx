import type { UsageSummary } from '../api/admin-types';
import { formatInt } from '../format/format-numbers';
import { usdText } from '../format/format-usd';
import { requestTypeLines } from '../usage/request-types';
import { Usd } from './Usd';

/**
 * Requests and cost per request type (chat, embeddings, responses, images, audio) in the
 * range: the API's summary grouped by requestType, each number as the API gave it. The
 * bar only pictures each type's share of the range's cost.
 */
export function RequestTypesTable({ summary }: { summary?: UsageSummary }) {
  if (!summary) return <p className="muted">Loading…</p>;
  const lines = requestTypeLines(summary);
  return (
    <div className="table-wrap">
      <table className="table" data-testid="request-types" data-from={summary.from} data-to={summary.to}>
        <thead>
          <tr>
            <th>Request type</th>
            <th className="num">Requests</th>
            <th className="num">Cost</th>
            <th className="type-share-head">Share of cost</th>
          </tr>
        </thead>
        <tbody>
          {lines.map((line) => (
            <tr key={line.type} data-request-type={line.type} className={line.used ? '' : 'unused'}>
              <td className="nowrap">{line.label}</td>
              <td className="num" data-testid="request-type-requests">
                {formatInt(line.requests)}
                {line.failures > 0 && (
                  <span className="muted small"> ({formatInt(line.failures)} failed)</span>
                )}
              </td>
              <td className="num" data-testid="request-type-cost">
                <Usd value={line.costUsd} />
                {line.unpricedRequests > 0 && (
                  <span className="muted small" title="Calls of a model with no known price: not in the cost">
                    {' '}
                    ({formatInt(line.unpricedRequests)} unpriced)
                  </span>
                )}
              </td>
              <td className="type-share">
                <div className="meter" aria-hidden="true" title={usdText(line.costUsd)}>
                  <div
                    className="meter-fill"
                    style={{ width: `${Math.min(100, line.barFraction * 100)}%` }}
                  />
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
