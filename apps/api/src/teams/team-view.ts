import type { TeamModel } from '@aigw/db';
import type { Budget } from '../budgets/budget.js';
import { storedBudgets } from '../budgets/budget.js';

/** A team as the admin API shows it (never its webhook secret). */
export interface TeamView {
  id: string;
  name: string;
  budgets: Budget[];
  rpmLimit: number | null;
  tpmLimit: number | null;
  maxParallel: number | null;
  allowedModels: string[];
  /** The webhook's origin only (`https://hooks.slack.com/…`): a webhook URL is a credential. */
  alertWebhookUrl: string | null;
  alertWebhookFormat: string;
  hasAlertWebhookSecret: boolean;
  metadata: unknown;
  memberCount: number;
  keyCount: number;
  createdAt: string;
  updatedAt: string;
}

/** A team row (with its counts) as the admin API shows it. */
export function teamView(row: TeamModel & { _count: { members: number; keys: number } }): TeamView {
  return {
    id: row.id,
    name: row.name,
    budgets: storedBudgets(row.budgets),
    rpmLimit: row.rpmLimit,
    tpmLimit: row.tpmLimit,
    maxParallel: row.maxParallel,
    allowedModels: row.allowedModels,
    alertWebhookUrl: row.alertWebhookUrl === null ? null : maskedUrl(row.alertWebhookUrl),
    alertWebhookFormat: row.alertWebhookFormat,
    hasAlertWebhookSecret: row.alertWebhookSecret !== null,
    metadata: row.metadata,
    memberCount: row._count.members,
    keyCount: row._count.keys,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** A URL shown without its path and query (where a webhook's token lives). */
function maskedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return parsed.pathname === '/' && !parsed.search ? parsed.origin : `${parsed.origin}/…`;
  } catch {
    return '…';
  }
}
