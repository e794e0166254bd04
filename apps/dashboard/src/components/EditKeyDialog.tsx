import { type FormEvent, useState } from 'react';
import type { AdminClient } from '../api/admin-client';
import type { ApiKeyDetail, ApiKeyView, KeyChanges, TeamView } from '../api/admin-types';
import { useAdminQuery } from '../hooks/use-admin-query';
import { BudgetBars } from './BudgetBar';
import { KeyLimitsFields } from './KeyLimitsFields';
import { changedLimits, type KeyLimitsDraft, limitsDraft, limitsInput } from './key-limits';
import { Modal } from './Modal';

/**
 * PATCH /admin/keys/:id: the label, team, budgets and limits (blank removes one). Sends
 * only what changed; shows the key's spend against its budgets this period.
 */
export function EditKeyDialog({
  client,
  apiKey,
  teams,
  onClose,
  onSaved,
}: {
  client: AdminClient;
  apiKey: ApiKeyView;
  teams: TeamView[] | undefined;
  onClose: () => void;
  onSaved: () => void;
}) {
  const [name, setName] = useState(apiKey.name ?? '');
  const [limits, setLimits] = useState<KeyLimitsDraft>(() => limitsDraft(apiKey));
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const detail = useAdminQuery(apiKey.id, (signal) =>
    client.get<ApiKeyDetail>(`/admin/keys/${apiKey.id}`, undefined, signal),
  );

  async function save(event: FormEvent) {
    event.preventDefault();
    const parsed = limitsInput(limits);
    if ('error' in parsed) return setError(parsed.error);
    const changes: KeyChanges = changedLimits(apiKey, parsed.value);
    if ((apiKey.name ?? '') !== name.trim()) changes.name = name.trim() || null;
    if (!Object.keys(changes).length) return onClose();
    setBusy(true);
    try {
      await client.patch(`/admin/keys/${apiKey.id}`, changes);
      onSaved();
    } catch (e) {
      setError((e as Error).message);
      setBusy(false);
    }
  }

  const spend = detail.data?.spend;
  return (
    <Modal title={`Edit ${apiKey.keyPrefix}…`} onClose={onClose} testId="edit-key-dialog">
      <form onSubmit={save} className="stack">
        <p className="muted">
          Key of <strong>{apiKey.userId}</strong>. Changes apply from its next request; leave a field blank
          for no limit.
        </p>
        {spend && spend.length > 0 && (
          <div className="stack" data-testid="edit-key-spend">
            <h3 className="subhead">Spent this period</h3>
            <BudgetBars spend={spend} />
          </div>
        )}
        <label className="field">
          <span>Name</span>
          <input value={name} onChange={(e) => setName(e.target.value)} data-testid="edit-name" />
        </label>
        <div className="edit-limits">
          <KeyLimitsFields
            draft={limits}
            onChange={setLimits}
            teams={teams}
            testIdPrefix="edit"
            multilineModels
          />
        </div>
        {error && (
          <p className="notice notice-error" role="alert">
            {error}
          </p>
        )}
        <div className="modal-actions">
          <button type="button" className="button button-quiet" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={busy} data-testid="save-key">
            {busy ? 'Saving…' : 'Save'}
          </button>
        </div>
      </form>
    </Modal>
  );
}
