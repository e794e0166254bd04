import { type FormEvent, useState } from 'react';
import type { AdminClient } from '../api/admin-client';
import type { NewTeamInput, TeamView } from '../api/admin-types';
import { budgetInput } from './key-limits';

/** POST /admin/teams: a name and, optionally, one monthly budget. */
export function CreateTeamForm({
  client,
  onCreated,
}: {
  client: AdminClient;
  onCreated: (team: TeamView) => void;
}) {
  const [name, setName] = useState('');
  const [budget, setBudget] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!name.trim()) return setError('Name: what the team is called (unique).');
    const amount = budgetInput(budget);
    if ('error' in amount) return setError(amount.error);
    const body: NewTeamInput = { name: name.trim() };
    if (amount.value !== null) body.budgets = [{ amountUsd: amount.value, period: 'monthly' }];
    setBusy(true);
    setError(undefined);
    try {
      onCreated(await client.post<TeamView>('/admin/teams', body));
      setName('');
      setBudget('');
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="team-form" onSubmit={submit} data-testid="create-team-form">
      <label className="field">
        <span>Name *</span>
        <input
          value={name}
          onChange={(e) => setName(e.target.value)}
          placeholder="platform"
          data-testid="team-name"
        />
      </label>
      <label className="field field-narrow">
        <span>Monthly budget (USD)</span>
        <input
          value={budget}
          onChange={(e) => setBudget(e.target.value)}
          inputMode="decimal"
          placeholder="none"
          data-testid="team-budget"
        />
      </label>
      <div className="filter-actions">
        <button type="submit" className="button button-primary" disabled={busy} data-testid="create-team">
          {busy ? 'Creating…' : 'Create team'}
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
