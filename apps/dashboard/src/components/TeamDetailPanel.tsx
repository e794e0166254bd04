import { useState } from 'react';
import type { AdminClient } from '../api/admin-client';
import type { TeamDetail } from '../api/admin-types';
import { formatInt } from '../format/format-numbers';
import { useAdminQuery } from '../hooks/use-admin-query';
import { BudgetBars } from './BudgetBar';
import { ErrorNotice } from './ErrorNotice';
import { Modal } from './Modal';
import { TeamMembers } from './TeamMembers';
import { TeamTopModels, TeamTopUsers } from './TeamUsageTables';

/** One team: its spend against each budget this period, top users and models, members. */
export function TeamDetailPanel({
  client,
  teamId,
  refresh,
  onChanged,
  onDeleted,
}: {
  client: AdminClient;
  teamId: string;
  refresh: string;
  onChanged: () => void;
  onDeleted: () => void;
}) {
  const [tick, setTick] = useState(0);
  const [deleting, setDeleting] = useState(false);
  const [actionError, setActionError] = useState<Error>();
  const detail = useAdminQuery(`${teamId}|${refresh}|${tick}`, (signal) =>
    client.get<TeamDetail>(`/admin/teams/${teamId}`, undefined, signal),
  );
  const team = detail.data?.id === teamId ? detail.data : undefined;

  async function remove() {
    setDeleting(false);
    try {
      await client.delete(`/admin/teams/${teamId}`);
      onDeleted();
    } catch (error) {
      setActionError(error as Error);
    }
  }

  const limits = team && [
    team.rpmLimit != null && `${formatInt(team.rpmLimit)} rpm`,
    team.tpmLimit != null && `${formatInt(team.tpmLimit)} tpm`,
    team.maxParallel != null && `${formatInt(team.maxParallel)} parallel`,
    team.allowedModels?.length ? `models: ${team.allowedModels.join(', ')}` : false,
  ];
  return (
    <section
      className="panel team-detail"
      data-testid="team-detail"
      data-team-id={teamId}
      data-state={detail.loading || !team ? 'loading' : 'ready'}
    >
      <div className="panel-head">
        <h2>{team?.name ?? 'Team'}</h2>
        {team && (
          <button
            type="button"
            className="button button-small button-danger"
            onClick={() => setDeleting(true)}
          >
            Delete team
          </button>
        )}
      </div>
      {detail.error && <ErrorNotice error={detail.error} onRetry={detail.reload} />}
      {actionError && <ErrorNotice error={actionError} />}
      {team && (
        <>
          <p className="muted small">
            {formatInt(team.memberCount)} member{team.memberCount === 1 ? '' : 's'} ·{' '}
            {formatInt(team.keyCount)} key
            {team.keyCount === 1 ? '' : 's'}
            {limits?.some(Boolean) && ` · ${limits.filter(Boolean).join(' · ')}`}
          </p>
          <div className="stack" data-testid="team-budgets">
            <h3 className="subhead">Spent this period</h3>
            <BudgetBars spend={team.spend} empty="No budget: the team's spend is not capped." />
          </div>
          <div className="columns columns-even">
            <div className="stack">
              <h3 className="subhead">Top users this month (UTC)</h3>
              <TeamTopUsers rows={team.topUsers} />
            </div>
            <div className="stack">
              <h3 className="subhead">Top models this month (UTC)</h3>
              <TeamTopModels rows={team.topModels} />
            </div>
          </div>
          <div className="stack">
            <h3 className="subhead">Members</h3>
            <TeamMembers
              client={client}
              team={team}
              onChanged={() => {
                setTick((t) => t + 1);
                onChanged();
              }}
            />
          </div>
        </>
      )}
      {deleting && team && (
        <Modal title="Delete this team?" onClose={() => setDeleting(false)} testId="delete-team-dialog">
          <p>
            <strong>{team.name}</strong>: its budgets and members go; its keys stay, without a team. Usage
            already recorded keeps the team's id.
          </p>
          <div className="modal-actions">
            <button type="button" className="button button-quiet" onClick={() => setDeleting(false)}>
              Cancel
            </button>
            <button
              type="button"
              className="button button-danger"
              onClick={remove}
              data-testid="confirm-delete-team"
            >
              Delete team
            </button>
          </div>
        </Modal>
      )}
    </section>
  );
}
