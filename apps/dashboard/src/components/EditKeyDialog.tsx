import { type FormEvent, useState } from 'react';
import type { AdminClient } from '../api/admin-client';
import type { ApiKeyView, KeyChanges } from '../api/admin-types';
import { budgetInput, rpmInput } from './key-limits';
import { Modal } from './Modal';

/** PATCH /admin/keys/:id: change the label, budget or rpm limit (blank removes it). */
export function EditKeyDialog({
  client,
  apiKey,
  onClose,
  onSaved,
}: {
  client: AdminClient;
  apiKey: ApiKeyView;
  onClose: () => void;
  onSaved: () => void;
}) {
  const [name, setName] = useState(apiKey.name ?? '');
  const [budget, setBudget] = useState(apiKey.budgetUsd ?? '');
  const [rpm, setRpm] = useState(apiKey.rpmLimit === null ? '' : String(apiKey.rpmLimit));
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function save(event: FormEvent) {
    event.preventDefault();
    const budgetValue = budgetInput(budget);
    const rpmValue = rpmInput(rpm);
    if ('error' in budgetValue) return setError(budgetValue.error);
    if ('error' in rpmValue) return setError(rpmValue.error);
    const changes: KeyChanges = {
      name: name.trim() || null,
      budgetUsd: budgetValue.value,
      rpmLimit: rpmValue.value,
    };
    setBusy(true);
    try {
      await client.patch(`/admin/keys/${apiKey.id}`, changes);
      onSaved();
    } catch (e) {
      setError((e as Error).message);
      setBusy(false);
    }
  }

  return (
    <Modal title={`Edit ${apiKey.keyPrefix}…`} onClose={onClose} testId="edit-key-dialog">
      <form onSubmit={save} className="stack">
        <p className="muted">
          Key of <strong>{apiKey.userId}</strong>. Changes apply from its next request; leave a field blank
          for no limit.
        </p>
        <label className="field">
          <span>Name</span>
          <input value={name} onChange={(e) => setName(e.target.value)} data-testid="edit-name" />
        </label>
        <label className="field">
          <span>Budget (USD, over the key's life)</span>
          <input
            value={budget}
            onChange={(e) => setBudget(e.target.value)}
            inputMode="decimal"
            data-testid="edit-budget"
          />
        </label>
        <label className="field">
          <span>RPM limit</span>
          <input
            value={rpm}
            onChange={(e) => setRpm(e.target.value)}
            inputMode="numeric"
            data-testid="edit-rpm"
          />
        </label>
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
