import type { TeamView } from '../api/admin-types';
import { BudgetsField } from './BudgetsField';
import type { KeyLimitsDraft } from './key-limits';

/**
 * A key's limits as form fields (shared by issuing and editing): team, budgets, rpm, tpm,
 * parallel requests, allowed models, expiry. Test ids: `<prefix>-team`, `-rpm`, `-tpm`,
 * `-parallel`, `-models`, `-expires`, and those of BudgetsField.
 */
export function KeyLimitsFields({
  draft,
  onChange,
  teams,
  testIdPrefix,
  multilineModels = false,
}: {
  draft: KeyLimitsDraft;
  onChange: (draft: KeyLimitsDraft) => void;
  /** The teams to choose from; undefined while they load (or when the gateway has none). */
  teams: TeamView[] | undefined;
  testIdPrefix: string;
  multilineModels?: boolean;
}) {
  const set = (changes: Partial<KeyLimitsDraft>) => onChange({ ...draft, ...changes });
  const id = (what: string) => `${testIdPrefix}-${what}`;
  // A key's team that is not in the list (deleted meanwhile, or not loaded) stays choosable.
  const known = !draft.teamId || teams?.some((t) => t.id === draft.teamId);
  return (
    <>
      <label className="field">
        <span>Team</span>
        <select
          value={draft.teamId}
          onChange={(e) => set({ teamId: e.target.value })}
          data-testid={id('team')}
        >
          <option value="">none</option>
          {!known && <option value={draft.teamId}>{draft.teamId}</option>}
          {teams?.map((team) => (
            <option key={team.id} value={team.id}>
              {team.name}
            </option>
          ))}
        </select>
      </label>
      <BudgetsField
        budgets={draft.budgets}
        onChange={(budgets) => set({ budgets })}
        testIdPrefix={testIdPrefix}
        newPeriod="total"
      />
      <label className="field field-narrow">
        <span>RPM limit</span>
        <input
          value={draft.rpm}
          onChange={(e) => set({ rpm: e.target.value })}
          inputMode="numeric"
          placeholder="none"
          data-testid={id('rpm')}
        />
      </label>
      <label className="field field-narrow">
        <span>TPM limit</span>
        <input
          value={draft.tpm}
          onChange={(e) => set({ tpm: e.target.value })}
          inputMode="numeric"
          placeholder="none"
          data-testid={id('tpm')}
        />
      </label>
      <label className="field field-narrow">
        <span>Max parallel</span>
        <input
          value={draft.parallel}
          onChange={(e) => set({ parallel: e.target.value })}
          inputMode="numeric"
          placeholder="none"
          data-testid={id('parallel')}
        />
      </label>
      {multilineModels ? (
        <label className="field field-models">
          <span>Allowed models</span>
          <textarea
            value={draft.models}
            onChange={(e) => set({ models: e.target.value })}
            rows={3}
            placeholder={'any; or patterns, one a line or comma-separated:\ngpt-4o, smart, anthropic/*'}
            data-testid={id('models')}
          />
        </label>
      ) : (
        <label className="field field-models">
          <span>Allowed models</span>
          <input
            value={draft.models}
            onChange={(e) => set({ models: e.target.value })}
            placeholder="any (gpt-4o, anthropic/*)"
            data-testid={id('models')}
          />
        </label>
      )}
      <label className="field">
        <span>Expires (UTC)</span>
        <input
          type="datetime-local"
          value={draft.expires}
          onChange={(e) => set({ expires: e.target.value })}
          data-testid={id('expires')}
        />
      </label>
    </>
  );
}
