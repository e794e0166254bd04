import type { ApiKeyView, BudgetInput, BudgetPeriod, KeyLimits } from '../api/admin-types';

type Parsed<T> = { value: T } | { error: string };

/** The value of an input already checked for errors. */
const checked = <T>(parsed: Parsed<T>): T => (parsed as { value: T }).value;

/** A budget field: blank for none, else a USD amount as the API takes it (a decimal string). */
export function budgetInput(text: string): { value: string | null } | { error: string } {
  const trimmed = text.trim().replace(/^\$/, '');
  if (!trimmed) return { value: null };
  if (!/^\d{1,12}(\.\d{1,12})?$/.test(trimmed)) return { error: 'Budget: a USD amount such as 25 or 12.50.' };
  return { value: trimmed };
}

/** A whole-number limit field (`label` names it in the error): blank for none, else 1 or more. */
export function limitInput(text: string, label: string, unit: string): Parsed<number | null> {
  const trimmed = text.trim().replace(/[,_\s]/g, '');
  if (!trimmed) return { value: null };
  if (!/^\d{1,10}$/.test(trimmed) || Number(trimmed) < 1 || Number(trimmed) > 2_147_483_647)
    return { error: `${label}: a whole number of ${unit}, 1 or more.` };
  return { value: Number(trimmed) };
}

/** An rpm field: blank for none, else a positive whole number. */
export function rpmInput(text: string): Parsed<number | null> {
  return limitInput(text, 'RPM limit', 'requests per minute');
}

/**
 * Allowed models, separated by commas or lines (`gpt-4o, smart` or `anthropic/*`): the
 * patterns in order, blanks and repeats dropped. None: any model.
 */
export function modelsInput(text: string): Parsed<string[]> {
  const patterns = [
    ...new Set(
      text
        .split(/[,\n]/)
        .map((p) => p.trim())
        .filter(Boolean),
    ),
  ];
  const bad = patterns.find((p) => /\s/.test(p) || p.length > 200);
  if (bad)
    return {
      error: `Allowed models: "${bad}" is not a model pattern (no spaces; such as gpt-4o or anthropic/*).`,
    };
  return { value: patterns };
}

/** A `datetime-local` value (read as UTC) from an ISO instant: `2026-01-31T18:00`. */
export function expiresField(iso: string | null): string {
  return iso ? new Date(iso).toISOString().slice(0, 16) : '';
}

/** An expiry field (`2026-01-31T18:00`, UTC): blank for never, else the ISO instant. */
export function expiresInput(text: string): Parsed<string | null> {
  const trimmed = text.trim();
  if (!trimmed) return { value: null };
  const ms = Date.parse(/[zZ]|[+-]\d\d:\d\d$/.test(trimmed) ? trimmed : `${trimmed}Z`);
  if (!Number.isFinite(ms)) return { error: 'Expires: a date and time (UTC).' };
  return { value: new Date(ms).toISOString() };
}

const PERIOD_NAMES: Record<BudgetPeriod, string> = {
  daily: 'daily',
  weekly: 'weekly',
  monthly: 'monthly',
  total: 'total',
};

/** The period for a budget added to these: `preferred` unless taken, else the first free one. */
export function freePeriod(drafts: BudgetDraft[], preferred: BudgetPeriod): BudgetPeriod {
  const taken = new Set(drafts.map((d) => d.period));
  const order: BudgetPeriod[] = [preferred, 'monthly', 'daily', 'weekly', 'total'];
  return order.find((p) => !taken.has(p)) ?? preferred;
}

/** One budget as typed: the amount, its period, and the thresholds it had (kept as they were). */
export interface BudgetDraft {
  amount: string;
  period: BudgetPeriod;
  alertThresholds?: number[];
}

/** The budgets as the API takes them (at most one per period); rows with a blank amount are dropped. */
export function budgetsInput(drafts: BudgetDraft[]): Parsed<BudgetInput[]> {
  const budgets: BudgetInput[] = [];
  for (const draft of drafts) {
    const amount = budgetInput(draft.amount);
    if ('error' in amount) return amount;
    if (amount.value === null) continue;
    if (budgets.some((b) => b.period === draft.period))
      return { error: `Budgets: at most one per period; ${PERIOD_NAMES[draft.period]} is given twice.` };
    budgets.push({
      amountUsd: amount.value,
      period: draft.period,
      ...(draft.alertThresholds?.length ? { alertThresholds: draft.alertThresholds } : {}),
    });
  }
  return { value: budgets };
}

/** A key's limits as typed in its form. */
export interface KeyLimitsDraft {
  teamId: string;
  budgets: BudgetDraft[];
  rpm: string;
  tpm: string;
  parallel: string;
  models: string;
  expires: string;
}

/** The form of a key's limits: blank for a new key, else what the key has. */
export function limitsDraft(key?: ApiKeyView): KeyLimitsDraft {
  const text = (n: number | null | undefined) => (n == null ? '' : String(n));
  return {
    teamId: key?.teamId ?? '',
    budgets: (key?.budgets ?? []).map((b) => ({
      amount: b.amountUsd,
      period: b.period,
      alertThresholds: b.alertThresholds,
    })),
    rpm: text(key?.rpmLimit),
    tpm: text(key?.tpmLimit),
    parallel: text(key?.maxParallel),
    models: (key?.allowedModels ?? []).join(', '),
    expires: expiresField(key?.expiresAt ?? null),
  };
}

/** Every limit of the form, validated: the first error, or all values (null or [] for none). */
export function limitsInput(draft: KeyLimitsDraft): Parsed<Required<KeyLimits>> {
  const budgets = budgetsInput(draft.budgets);
  const rpm = rpmInput(draft.rpm);
  const tpm = limitInput(draft.tpm, 'TPM limit', 'tokens per minute');
  const parallel = limitInput(draft.parallel, 'Max parallel', 'requests at once');
  const models = modelsInput(draft.models);
  const expires = expiresInput(draft.expires);
  const failed = [budgets, rpm, tpm, parallel, models, expires].find((p) => 'error' in p);
  if (failed && 'error' in failed) return { error: failed.error };
  return {
    value: {
      teamId: draft.teamId || null,
      budgets: checked(budgets),
      rpmLimit: checked(rpm),
      tpmLimit: checked(tpm),
      maxParallel: checked(parallel),
      allowedModels: checked(models),
      expiresAt: checked(expires),
    },
  };
}

/** The limits of a new key: only those set (the API's defaults are none). */
export function newKeyLimits(limits: Required<KeyLimits>): KeyLimits {
  const set: KeyLimits = {};
  if (limits.teamId) set.teamId = limits.teamId;
  if (limits.budgets.length) set.budgets = limits.budgets;
  if (limits.rpmLimit !== null) set.rpmLimit = limits.rpmLimit;
  if (limits.tpmLimit !== null) set.tpmLimit = limits.tpmLimit;
  if (limits.maxParallel !== null) set.maxParallel = limits.maxParallel;
  if (limits.allowedModels.length) set.allowedModels = limits.allowedModels;
  if (limits.expiresAt !== null) set.expiresAt = limits.expiresAt;
  return set;
}

/** The limits that differ from the key's: a PATCH sends only these. */
export function changedLimits(key: ApiKeyView, limits: Required<KeyLimits>): KeyLimits {
  const changes: KeyLimits = {};
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  if ((key.teamId ?? null) !== limits.teamId) changes.teamId = limits.teamId;
  const budgets = (key.budgets ?? []).map((b) => ({
    amountUsd: b.amountUsd,
    period: b.period,
    ...(b.alertThresholds?.length ? { alertThresholds: b.alertThresholds } : {}),
  }));
  if (!sameBudgets(budgets, limits.budgets)) changes.budgets = limits.budgets;
  if ((key.rpmLimit ?? null) !== limits.rpmLimit) changes.rpmLimit = limits.rpmLimit;
  if ((key.tpmLimit ?? null) !== limits.tpmLimit) changes.tpmLimit = limits.tpmLimit;
  if ((key.maxParallel ?? null) !== limits.maxParallel) changes.maxParallel = limits.maxParallel;
  if (!same(key.allowedModels ?? [], limits.allowedModels)) changes.allowedModels = limits.allowedModels;
  if (expiresField(key.expiresAt ?? null) !== expiresField(limits.expiresAt))
    changes.expiresAt = limits.expiresAt;
  return changes;
}

/** Whether two budget lists are the same, amounts compared as numbers (`10` is `10.00`). */
function sameBudgets(a: BudgetInput[], b: BudgetInput[]): boolean {
  return (
    a.length === b.length &&
    a.every((x, i) => {
      const y = b[i];
      return (
        y !== undefined &&
        x.period === y.period &&
        Number(x.amountUsd) === Number(y.amountUsd) &&
        JSON.stringify(x.alertThresholds ?? []) === JSON.stringify(y.alertThresholds ?? [])
      );
    })
  );
}
