import { type FormEvent, useState } from 'react';
import type { AdminClient } from '../api/admin-client';
import type { IssuedKey, NewKeyInput } from '../api/admin-types';
import { budgetInput, rpmInput } from './key-limits';

/** POST /admin/keys: a user, an optional label, budget and rpm limit. */
export function IssueKeyForm({
  client,
  onIssued,
}: {
  client: AdminClient;
  onIssued: (key: IssuedKey) => void;
}) {
  const [userId, setUserId] = useState('');
  const [name, setName] = useState('');
  const [budget, setBudget] = useState('');
  const [rpm, setRpm] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const budgetValue = budgetInput(budget);
    const rpmValue = rpmInput(rpm);
    if (!userId.trim()) return setError('User: who the key is for (their calls are recorded under this id).');
    if ('error' in budgetValue) return setError(budgetValue.error);
    if ('error' in rpmValue) return setError(rpmValue.error);
    const body: NewKeyInput = { userId: userId.trim() };
    if (name.trim()) body.name = name.trim();
    if (budgetValue.value !== null) body.budgetUsd = budgetValue.value;
    if (rpmValue.value !== null) body.rpmLimit = rpmValue.value;
    setBusy(true);
    setError(undefined);
    try {
      onIssued(await client.post<IssuedKey>('/admin/keys', body));
      setUserId('');
      setName('');
      setBudget('');
      setRpm('');
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="issue-form" onSubmit={submit} data-testid="issue-key-form">
      <label className="field">
        <span>User *</span>
        <input
          value={userId}
          onChange={(e) => setUserId(e.target.value)}
          placeholder="alice@example.com"
          data-testid="issue-user"
        />
      </label>
      <label className="field">
        <span>Name</span>
        <input
          value={name}
          onChange={(e) => setName(e.target.value)}
          placeholder="laptop"
          data-testid="issue-name"
        />
      </label>
      <label className="field field-narrow">
        <span>Budget (USD)</span>
        <input
          value={budget}
          onChange={(e) => setBudget(e.target.value)}
          inputMode="decimal"
          placeholder="none"
          data-testid="issue-budget"
        />
      </label>
      <label className="field field-narrow">
        <span>RPM limit</span>
        <input
          value={rpm}
          onChange={(e) => setRpm(e.target.value)}
          inputMode="numeric"
          placeholder="none"
          data-testid="issue-rpm"
        />
      </label>
      <div className="filter-actions">
        <button type="submit" className="button button-primary" disabled={busy} data-testid="issue-submit">
          {busy ? 'Issuing…' : 'Issue key'}
        </button>
      </div>
      {error && (
        <p className="notice notice-error form-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
