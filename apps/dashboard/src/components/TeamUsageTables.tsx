import type { TeamDetail } from '../api/admin-types';
import { formatInt } from '../format/format-numbers';
import { Usd } from './Usd';

/** The users of a team who cost the most this month. */
export function TeamTopUsers({ rows }: { rows: TeamDetail['topUsers'] }) {
  if (!rows.length) return <p className="muted">No usage this month.</p>;
  return (
    <div className="table-wrap">
      <table className="table" data-testid="team-top-users">
        <thead>
          <tr>
            <th>User</th>
            <th className="num">Cost</th>
            <th className="num">Requests</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.userId} data-user={row.userId}>
              <td className="ellipsis" title={row.userId}>
                {row.userId}
              </td>
              <td className="num">
                <Usd value={row.costUsd} />
              </td>
              <td className="num">{formatInt(row.requests)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The models a team spent most on this month. */
export function TeamTopModels({ rows }: { rows: TeamDetail['topModels'] }) {
  if (!rows.length) return <p className="muted">No usage this month.</p>;
  return (
    <div className="table-wrap">
      <table className="table" data-testid="team-top-models">
        <thead>
          <tr>
            <th>Provider / model</th>
            <th className="num">Cost</th>
            <th className="num">Requests</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={`${row.provider}/${row.model}`} data-model={`${row.provider}/${row.model}`}>
              <td className="nowrap">
                {row.provider}/{row.model}
              </td>
              <td className="num">
                <Usd value={row.costUsd} />
              </td>
              <td className="num">{formatInt(row.requests)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
