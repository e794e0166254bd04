import { useState } from 'react';
import type { AdminClient } from '../api/admin-client';
import type { TeamListItem } from '../api/admin-types';
import { formatInt } from '../format/format-numbers';
import { useAdminQuery } from '../hooks/use-admin-query';
import { BudgetBars } from './BudgetBar';
import { CreateTeamForm } from './CreateTeamForm';
import { ErrorNotice } from './ErrorNotice';
import { TeamDetailPanel } from './TeamDetailPanel';

/** Teams: create one, the list with each team's spend against its budgets, one team opened. */
export function TeamsView({ client, refresh }: { client: AdminClient; refresh: number }) {
  const [tick, setTick] = useState(0);
  const [selected, setSelected] = useState<string>();
  const teams = useAdminQuery(`${refresh}|${tick}`, (signal) =>
    client.get<{ data: TeamListItem[] }>('/admin/teams', undefined, signal),
  );
  const reload = () => setTick((t) => t + 1);
  const list = teams.data?.data ?? [];

  return (
    <div className="teams">
      <section className="panel">
        <h2>Create a team</h2>
        <CreateTeamForm
          client={client}
          onCreated={(team) => {
            setSelected(team.id);
            reload();
          }}
        />
      </section>
      <section className="panel">
        <h2>Teams</h2>
        {teams.error && <ErrorNotice error={teams.error} onRetry={teams.reload} />}
        <div className="table-wrap">
          <table className="table" data-testid="teams-table" data-state={teams.loading ? 'loading' : 'ready'}>
            <thead>
              <tr>
                <th>Team</th>
                <th>Spent this period</th>
                <th className="num">Members</th>
                <th className="num">Keys</th>
              </tr>
            </thead>
            <tbody>
              {list.map((team) => (
                <tr
                  key={team.id}
                  data-team-id={team.id}
                  className={`team-row${selected === team.id ? ' selected' : ''}`}
                >
                  <td>
                    <button
                      type="button"
                      className="link-button"
                      aria-pressed={selected === team.id}
                      onClick={() => setSelected(team.id)}
                    >
                      {team.name}
                    </button>
                  </td>
                  <td className="budget-cell">
                    <BudgetBars spend={team.spend ?? []} compact />
                  </td>
                  <td className="num">{formatInt(team.memberCount)}</td>
                  <td className="num">{formatInt(team.keyCount)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {teams.data && !list.length && <p className="muted">No teams yet: create one above.</p>}
      </section>
      {selected ? (
        <TeamDetailPanel
          client={client}
          teamId={selected}
          refresh={`${refresh}`}
          onChanged={reload}
          onDeleted={() => {
            setSelected(undefined);
            reload();
          }}
        />
      ) : (
        list.length > 0 && <p className="muted">Choose a team to see its users, models and members.</p>
      )}
    </div>
  );
}
