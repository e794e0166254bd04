import type { Prisma } from '@aigw/db';
import { Injectable } from '@nestjs/common';
import { type Budget, budgetRules, storedBudgets } from '../budgets/budget.js';
import { type BudgetStatus, BudgetStatusService } from '../budgets/budget-status.service.js';
import { DatabaseService } from '../database/database.service.js';
import { ApiKeysService } from '../keys/api-keys.service.js';

/** A user as the admin API shows it: budgets, where they stand, teams and keys. */
export interface UserView {
  userId: string;
  budgets: Budget[];
  spend: BudgetStatus[];
  teams: { id: string; name: string }[];
  keyCount: number;
}

/** Users' own budgets (every key of the user spends from them). Users exist by id only: any id can have budgets. */
@Injectable()
export class UsersService {
  constructor(
    private readonly database: DatabaseService,
    private readonly keys: ApiKeysService,
    private readonly budgets: BudgetStatusService,
  ) {}

  async get(userId: string): Promise<UserView> {
    const prisma = this.database.prisma;
    const [row, memberships, keyCount] = await Promise.all([
      prisma.userBudget.findUnique({ where: { userId } }),
      prisma.teamMember.findMany({
        where: { userId },
        include: { team: { select: { id: true, name: true } } },
      }),
      prisma.apiKey.count({ where: { userId, revokedAt: null } }),
    ]);
    const budgets = storedBudgets(row?.budgets);
    return {
      userId,
      budgets,
      spend: await this.budgets.statuses(budgetRules('user', userId, budgets)),
      teams: memberships.map((m) => m.team),
      keyCount,
    };
  }

  async setBudgets(userId: string, budgets: Budget[] | null): Promise<UserView> {
    const json = (budgets ?? []) as unknown as Prisma.InputJsonValue;
    await this.database.prisma.userBudget.upsert({
      where: { userId },
      create: { userId, budgets: json },
      update: { budgets: json },
    });
    await this.keys.forgetAll();
    return this.get(userId);
  }
}
