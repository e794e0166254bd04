import { Prisma } from '@aigw/db';
import { Injectable } from '@nestjs/common';
import { DatabaseService } from '../database/database.service.js';
import { type UsageMeasures, UsageSummaryService } from './usage-summary.service.js';
import type { UsersQuery } from './usage-users.schema.js';

/**
 * A user's budgets: those of their active keys that have one, against what those keys
 * have spent. Budgets cap a key over its whole life, so the spend is all-time, not the
 * range's.
 */
export interface UserBudget {
  /** Sum of the budgets of the user's active budgeted keys (USD, 12 decimals). */
  budgetUsd: string;
  /** All-time spend through those keys, with what USAGE_RETENTION_DAYS retired (USD, 12 decimals). */
  spentUsd: string;
  /** spentUsd / budgetUsd rounded to 4 decimals (1 = all used); null for a zero budget. */
  used: number | null;
  budgetedKeys: number;
  /** Active keys without a budget: the user can spend through them without a cap. */
  unbudgetedKeys: number;
}

/** One user of `GET /admin/usage/users`: the summary's measures for the range, and budgets. */
export type TopUser = { userId: string } & UsageMeasures & {
    /** The user's keys that are not revoked. */
    activeKeys: number;
    /** Null when none of the user's active keys has a budget. */
    budget: UserBudget | null;
  };

/** `GET /admin/usage/users`'s answer. */
export interface TopUsers {
  from: string;
  to: string;
  /** Users with usage in the range, before `limit`. */
  totalUsers: number;
  rows: TopUser[];
}

interface BudgetRow {
  userId: string;
  activeKeys: bigint | number;
  budgetedKeys: bigint | number;
  budgetUsd: string | null;
  spentUsd: string;
  used: number | null;
}

/** The users who cost the most in a range, with their budget use. */
@Injectable()
export class UsageUsersService {
  constructor(
    private readonly database: DatabaseService,
    private readonly summaries: UsageSummaryService,
  ) {}

  async top(query: UsersQuery): Promise<TopUsers> {
    // The summary's own per-user rows: the page's numbers are the summary's numbers.
    const summary = await this.summaries.summarize({ from: query.from, to: query.to, groupBy: ['user'] });
    const ranked = summary.rows
      .map((row) => ({ ...row, userId: row.userId ?? '' }))
      .sort(
        (a, b) =>
          new Prisma.Decimal(b.costUsd).comparedTo(a.costUsd) ||
          b.requests - a.requests ||
          (a.userId < b.userId ? -1 : 1),
      )
      .slice(0, query.limit);
    const budgets = await this.budgets(ranked.map((r) => r.userId));
    return {
      from: summary.from,
      to: summary.to,
      totalUsers: summary.rows.length,
      rows: ranked.map((row) => {
        const b = budgets.get(row.userId);
        const activeKeys = Number(b?.activeKeys ?? 0);
        const budgetedKeys = Number(b?.budgetedKeys ?? 0);
        return {
          ...row,
          activeKeys,
          budget:
            b && b.budgetUsd !== null
              ? {
                  budgetUsd: b.budgetUsd,
                  spentUsd: b.spentUsd,
                  used: b.used,
                  budgetedKeys,
                  unbudgetedKeys: activeKeys - budgetedKeys,
                }
              : null,
        };
      }),
    };
  }

  private async budgets(userIds: string[]): Promise<Map<string, BudgetRow>> {
    if (!userIds.length) return new Map();
    // `budgetUsd` is each key's lifetime (`total`) budget: its spend is the key's rows plus
    // what USAGE_RETENTION_DAYS retired of them (AIUsageRetired, ids as text), as the
    // budget's enforcement counts it (spentFromPrisma). One statement: one snapshot, so a
    // retention batch moving rows is seen wholly or not at all.
    const rows = await this.database.prisma.$queryRaw<BudgetRow[]>`
      WITH keys AS (
        SELECT "id", "userId", "budgetUsd" FROM "ApiKey"
        WHERE "revokedAt" IS NULL AND "userId" IN (${Prisma.join(userIds)})
      ), logged AS (
        SELECT l."apiKeyId", SUM(l."costUsd") AS "usd"
        FROM "AIUsageLog" l JOIN keys k ON k."id" = l."apiKeyId"
        WHERE k."budgetUsd" IS NOT NULL
        GROUP BY l."apiKeyId"
      ), retired AS (
        SELECT k."id" AS "apiKeyId", SUM(r."costUsd") AS "usd"
        FROM "AIUsageRetired" r JOIN keys k ON r."apiKeyId" = k."id"::text
        WHERE k."budgetUsd" IS NOT NULL
        GROUP BY k."id"
      ), spent AS (
        SELECT k."id" AS "apiKeyId", COALESCE(l."usd", 0) + COALESCE(r."usd", 0) AS "usd"
        FROM keys k
        LEFT JOIN logged l ON l."apiKeyId" = k."id"
        LEFT JOIN retired r ON r."apiKeyId" = k."id"
        WHERE k."budgetUsd" IS NOT NULL
      )
      SELECT k."userId",
        COUNT(*) AS "activeKeys",
        COUNT(k."budgetUsd") AS "budgetedKeys",
        ROUND(SUM(k."budgetUsd"), 12)::text AS "budgetUsd",
        ROUND(COALESCE(SUM(s."usd"), 0), 12)::text AS "spentUsd",
        ROUND(COALESCE(SUM(s."usd"), 0) / NULLIF(SUM(k."budgetUsd"), 0), 4)::float8 AS "used"
      FROM keys k LEFT JOIN spent s ON s."apiKeyId" = k."id"
      GROUP BY k."userId"`;
    return new Map(rows.map((r) => [r.userId, r]));
  }
}
