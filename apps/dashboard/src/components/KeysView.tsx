import { useState } from 'react';
import type { AdminClient } from '../api/admin-client';
import type { ApiKeyView, IssuedKey, TeamListItem } from '../api/admin-types';
import { formatInt, formatUtc } from '../format/format-numbers';
import { useAdminQuery } from '../hooks/use-admin-query';
import { EditKeyDialog } from './EditKeyDialog';
import { ErrorNotice } from './ErrorNotice';
import { IssueKeyForm } from './IssueKeyForm';
import { KeyBudgets, KeyExpiry, KeyModels, KeyRateLimits, KeyTeam } from './KeyLimitsCells';
import { Modal } from './Modal';
import { NewKeyDialog } from './NewKeyDialog';

/** Virtual keys: issue (shown once), list with team, budgets, limits and expiry, change them, revoke. */
export function KeysView({ client, refresh }: { client: AdminClient; refresh: number }) {
  const [tick, setTick] = useState(0);
  const [issued, setIssued] = useState<IssuedKey>();
  const [editing, setEditing] = useState<ApiKeyView>();
  const [revoking, setRevoking] = useState<ApiKeyView>();
  const [showRevoked, setShowRevoked] = useState(false);
  const [actionError, setActionError] = useState<Error>();
  // Revoked keys too (the API leaves them out unless asked): shown on request, and counted.
  const keys = useAdminQuery(`${refresh}|${tick}`, (signal) =>
    client.get<{ data: ApiKeyView[] }>('/admin/keys', { includeRevoked: 'true' }, signal),
  );
  // The teams a key can belong to; a gateway without teams leaves the choice at none.
  const teamList = useAdminQuery(`${refresh}|teams`, (signal) =>
    client.get<{ data: TeamListItem[] }>('/admin/teams', undefined, signal),
  );
  const teams = teamList.data?.data;
  const reload = () => setTick((t) => t + 1);
  const all = keys.data?.data ?? [];
  const shown = all.filter((k) => showRevoked || !k.revokedAt);
  const revokedCount = all.length - all.filter((k) => !k.revokedAt).length;

  async function revoke(key: ApiKeyView) {
    try {
      await client.delete(`/admin/keys/${key.id}`);
      setActionError(undefined);
    } catch (error) {
      setActionError(error as Error);
    }
    setRevoking(undefined);
    reload();
  }

  return (
    <div className="keys">
      <section className="panel">
        <h2>Issue a key</h2>
        <IssueKeyForm
          client={client}
          teams={teams}
          onIssued={(key) => {
            setIssued(key);
            reload();
          }}
        />
      </section>
      <section className="panel">
        <div className="panel-head">
          <h2>Keys</h2>
          <label className="check">
            <input
              type="checkbox"
              checked={showRevoked}
              onChange={(e) => setShowRevoked(e.target.checked)}
              data-testid="show-revoked"
            />
            show revoked ({formatInt(revokedCount)})
          </label>
        </div>
        {keys.error && <ErrorNotice error={keys.error} onRetry={keys.reload} />}
        {actionError && <ErrorNotice error={actionError} />}
        <div className="table-wrap">
          <table className="table" data-testid="keys-table" data-state={keys.loading ? 'loading' : 'ready'}>
            <thead>
              <tr>
                <th>Key</th>
                <th>User</th>
                <th>Team</th>
                <th>Name</th>
                <th className="num">Budgets</th>
                <th className="num">Limits</th>
                <th>Models</th>
                <th>Expires (UTC)</th>
                <th>Created (UTC)</th>
                <th>Status</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {shown.map((key) => (
                <tr key={key.id} data-key-id={key.id} className={key.revokedAt ? 'revoked' : ''}>
                  <td className="nowrap">
                    <code>{key.keyPrefix}…</code>
                  </td>
                  <td className="ellipsis" title={key.userId}>
                    {key.userId}
                  </td>
                  <td className="ellipsis" data-cell="team">
                    <KeyTeam teamId={key.teamId ?? null} teams={teams} />
                  </td>
                  <td className="ellipsis">{key.name ?? <span className="muted">—</span>}</td>
                  <td className="num" data-cell="budgets">
                    <KeyBudgets apiKey={key} />
                  </td>
                  <td className="num" data-cell="limits">
                    <KeyRateLimits apiKey={key} />
                  </td>
                  <td data-cell="models">
                    <KeyModels models={key.allowedModels} />
                  </td>
                  <td data-cell="expires">
                    <KeyExpiry expiresAt={key.expiresAt} />
                  </td>
                  <td className="nowrap">{formatUtc(key.createdAt).replace(' UTC', '')}</td>
                  <td>
                    {key.revokedAt ? (
                      <span className="chip chip-open" title={`Revoked ${formatUtc(key.revokedAt)}`}>
                        revoked
                      </span>
                    ) : key.expiresAt && Date.parse(key.expiresAt) <= Date.now() ? (
                      <span className="chip chip-half-open" title={`Expired ${formatUtc(key.expiresAt)}`}>
                        expired
                      </span>
                    ) : (
                      <span className="chip chip-closed">active</span>
                    )}
                  </td>
                  <td className="row-actions">
                    {!key.revokedAt && (
                      <>
                        <button type="button" className="button button-small" onClick={() => setEditing(key)}>
                          Edit
                        </button>
                        <button
                          type="button"
                          className="button button-small button-danger"
                          onClick={() => setRevoking(key)}
                        >
                          Revoke
                        </button>
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {keys.data && !shown.length && <p className="muted">No keys yet: issue one above.</p>}
      </section>

      {issued && <NewKeyDialog issued={issued} onClose={() => setIssued(undefined)} />}
      {editing && (
        <EditKeyDialog
          client={client}
          apiKey={editing}
          teams={teams}
          onClose={() => setEditing(undefined)}
          onSaved={() => {
            setEditing(undefined);
            reload();
          }}
        />
      )}
      {revoking && (
        <Modal title="Revoke this key?" onClose={() => setRevoking(undefined)} testId="revoke-dialog">
          <p>
            <code>{revoking.keyPrefix}…</code> of <strong>{revoking.userId}</strong>
            {revoking.name ? ` (${revoking.name})` : ''}. Calls with it are refused (401) at once; this cannot
            be undone.
          </p>
          <div className="modal-actions">
            <button type="button" className="button button-quiet" onClick={() => setRevoking(undefined)}>
              Cancel
            </button>
            <button
              type="button"
              className="button button-danger"
              onClick={() => revoke(revoking)}
              data-testid="confirm-revoke"
            >
              Revoke key
            </button>
          </div>
        </Modal>
      )}
    </div>
  );
}
