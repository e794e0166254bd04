import { type FormEvent, useState } from 'react';
import type { AdminClient } from '../api/admin-client';
import type { IssuedKey, NewKeyInput, TeamView } from '../api/admin-types';
import { KeyLimitsFields } from './KeyLimitsFields';
import { type KeyLimitsDraft, limitsDraft, limitsInput, newKeyLimits } from './key-limits';

/** POST /admin/keys: a user, an optional label, team, budgets and limits. */
export function IssueKeyForm({
  client,
  teams,
  onIssued,
}: {
  client: AdminClient;
  teams: TeamView[] | undefined;
  onIssued: (key: IssuedKey) => void;
}) {
  const [userId, setUserId] = useState('');
  const [name, setName] = useState('');
  const [limits, setLimits] = useState<KeyLimitsDraft>(() => limitsDraft());
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!userId.trim()) return setError('User: who the key is for (their calls are recorded under this id).');
    const parsed = limitsInput(limits);
    if ('error' in parsed) return setError(parsed.error);
    const body: NewKeyInput = { userId: userId.trim(), ...newKeyLimits(parsed.value) };
    if (name.trim()) body.name = name.trim();
    setBusy(true);
    setError(undefined);
    try {
      onIssued(await client.post<IssuedKey>('/admin/keys', body));
      setUserId('');
      setName('');
      setLimits(limitsDraft());
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
      <KeyLimitsFields draft={limits} onChange={setLimits} teams={teams} testIdPrefix="issue" />
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
