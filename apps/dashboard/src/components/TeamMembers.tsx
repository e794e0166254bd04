import { type FormEvent, useState } from 'react';
import type { AdminClient } from '../api/admin-client';
import type { TeamDetail } from '../api/admin-types';
import { formatUtc } from '../format/format-numbers';

/** A team's members: the list, one added by user id, one removed per row. */
export function TeamMembers({
  client,
  team,
  onChanged,
}: {
  client: AdminClient;
  team: TeamDetail;
  onChanged: () => void;
}) {
  const [userId, setUserId] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function run(action: () => Promise<unknown>) {
    setBusy(true);
    try {
      await action();
      setError(undefined);
      onChanged();
      return true;
    } catch (e) {
      setError((e as Error).message);
      return false;
    } finally {
      setBusy(false);
    }
  }

  async function add(event: FormEvent) {
    event.preventDefault();
    const id = userId.trim();
    if (!id) return setError('User: the id their calls are recorded under.');
    if (await run(() => client.post(`/admin/teams/${team.id}/members`, { userId: id }))) setUserId('');
  }

  return (
    <div className="stack" data-testid="team-members">
      <form className="member-form" onSubmit={add}>
        <label className="field">
          <span>Add a member</span>
          <input
            value={userId}
            onChange={(e) => setUserId(e.target.value)}
            placeholder="alice@example.com"
            data-testid="member-user"
          />
        </label>
        <button type="submit" className="button" disabled={busy} data-testid="add-member">
          Add
        </button>
      </form>
      {error && (
        <p className="notice notice-error" role="alert">
          {error}
        </p>
      )}
      {team.members.length ? (
        <ul className="members">
          {team.members.map((member) => (
            <li key={member.userId} data-member={member.userId}>
              <span className="ellipsis" title={member.userId}>
                {member.userId}
              </span>
              <span className="muted small nowrap">since {formatUtc(member.addedAt).slice(0, 10)}</span>
              <button
                type="button"
                className="button button-small button-danger"
                disabled={busy}
                onClick={() =>
                  run(() =>
                    client.delete(`/admin/teams/${team.id}/members/${encodeURIComponent(member.userId)}`),
                  )
                }
                aria-label={`Remove ${member.userId}`}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">No members yet.</p>
      )}
    </div>
  );
}
