import { budgetWindow, type LimitScope } from '@aigw/ai';
import { Prisma } from '@aigw/db';
import { ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { AlertDestinations } from '../alerts/alert-destinations.js';
import { budgetRules, storedBudgets } from '../budgets/budget.js';
import { type BudgetStatus, BudgetStatusService } from '../budgets/budget-status.service.js';
import { CLOCK, type Clock } from '../clock/clock.js';
import type { Env } from '../config/env.schema.js';
import { DatabaseService } from '../database/database.service.js';
import { ApiKeysService } from '../keys/api-keys.service.js';
import { type TeamView, teamView } from './team-view.js';
import type { CreateTeamBody, UpdateTeamBody } from './teams.schemas.js';

const WITH_COUNTS = { _count: { select: { members: true, keys: { where: { revokedAt: null } } } } } as const;
const TOP = 10;

/** A team with where its budgets stand, its members, and this month's top users and models. */
export interface TeamDetail extends TeamView {
  spend: BudgetStatus[];
  members: { userId: string; addedAt: string }[];
  topUsers: { userId: string; requests: number; costUsd: string }[];
  topModels: { provider: string; model: string; requests: number; costUsd: string }[];
}

/**
 * Teams: users grouped under shared budgets, limits and a model allowlist. Every change
 * that can change a call's limits drops the verified-key cache (here and on every replica),
 * so it applies from the next request.
 */
@Injectable()
export class TeamsService {
  constructor(
    private readonly database: DatabaseService,
    private readonly keys: ApiKeysService,
    private readonly budgets: BudgetStatusService,
    private readonly config: ConfigService<Env, true>,
    private readonly alertDestinations: AlertDestinations,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async create(body: CreateTeamBody): Promise<TeamView> {
    try {
      const row = await this.database.prisma.team.create({
        data: {
          name: body.name,
          ...columns(body),
          members: body.members?.length ? { create: body.members.map((userId) => ({ userId })) } : undefined,
        },
        include: WITH_COUNTS,
      });
      await this.keys.forgetAll();
      return teamView(row);
    } catch (error) {
      throw nameTaken(error, body.name);
    }
  }

  /** Every team, by name, with where its budgets stand. */
  async list(): Promise<(TeamView & { spend: BudgetStatus[] })[]> {
    const rows = await this.database.prisma.team.findMany({ orderBy: { name: 'asc' }, include: WITH_COUNTS });
    return Promise.all(
      rows.map(async (row) => ({ ...teamView(row), spend: await this.budgets.statuses(rulesOf(row)) })),
    );
  }

  async get(id: string): Promise<TeamDetail> {
    const row = await this.find(id);
    const prisma = this.database.prisma;
    const month = budgetWindow('monthly', this.clock(), this.config.get('BUDGET_TIMEZONE', { infer: true }));
    const where = { teamId: id, createdAt: { gte: new Date(month.startMs) } };
    const [spend, members, users, models] = await Promise.all([
      this.budgets.statuses(rulesOf(row)),
      prisma.teamMember.findMany({
        where: { teamId: id },
        orderBy: [{ createdAt: 'asc' }, { userId: 'asc' }],
      }),
      prisma.aIUsageLog.groupBy({
        by: ['userId'],
        where,
        _sum: { costUsd: true },
        _count: { _all: true },
        orderBy: { _sum: { costUsd: 'desc' } },
        take: TOP,
      }),
      prisma.aIUsageLog.groupBy({
        by: ['provider', 'model'],
        where,
        _sum: { costUsd: true },
        _count: { _all: true },
        orderBy: { _sum: { costUsd: 'desc' } },
        take: TOP,
      }),
    ]);
    return {
      ...teamView(row),
      spend,
      members: members.map((m) => ({ userId: m.userId, addedAt: m.createdAt.toISOString() })),
      topUsers: users.map((u) => ({
        userId: u.userId,
        requests: u._count._all,
        costUsd: u._sum.costUsd?.toFixed() ?? '0',
      })),
      topModels: models.map((m) => ({
        provider: m.provider,
        model: m.model,
        requests: m._count._all,
        costUsd: m._sum.costUsd?.toFixed() ?? '0',
      })),
    };
  }

  async update(id: string, body: UpdateTeamBody): Promise<TeamView> {
    await this.find(id);
    try {
      const row = await this.database.prisma.team.update({
        where: { id },
        data: { name: body.name, ...columns(body) },
        include: WITH_COUNTS,
      });
      this.alertDestinations.forget(id);
      await this.keys.forgetAll();
      return teamView(row);
    } catch (error) {
      throw nameTaken(error, body.name ?? '');
    }
  }

  /** Deletes a team: its members go, its keys stay (with no team); past usage rows keep its id. */
  async delete(id: string): Promise<TeamView> {
    const row = await this.find(id);
    await this.database.prisma.team.delete({ where: { id } });
    this.alertDestinations.forget(id);
    await this.keys.forgetAll();
    return teamView(row);
  }

  async addMembers(id: string, userIds: string[]): Promise<TeamDetail> {
    await this.find(id);
    await this.database.prisma.teamMember.createMany({
      data: userIds.map((userId) => ({ teamId: id, userId })),
      skipDuplicates: true,
    });
    await this.keys.forgetAll();
    return this.get(id);
  }

  /** Removes a member; keys issued for this team keep charging it until moved (PATCH /admin/keys/:id). */
  async removeMember(id: string, userId: string): Promise<TeamDetail> {
    await this.find(id);
    const removed = await this.database.prisma.teamMember.deleteMany({ where: { teamId: id, userId } });
    if (!removed.count) throw new NotFoundException(`User "${userId}" is not a member of team "${id}"`);
    await this.keys.forgetAll();
    return this.get(id);
  }

  private async find(id: string) {
    const row = await this.database.prisma.team.findUnique({ where: { id }, include: WITH_COUNTS });
    if (!row) throw new NotFoundException(`No team with id "${id}"`);
    return row;
  }
}

/** The columns a create or update sets (undefined: unchanged; null: cleared). */
function columns(body: Omit<UpdateTeamBody, 'name'>): Omit<Prisma.TeamUncheckedCreateInput, 'name'> {
  return {
    budgets:
      body.budgets === undefined ? undefined : ((body.budgets ?? []) as unknown as Prisma.InputJsonValue),
    rpmLimit: body.rpmLimit,
    tpmLimit: body.tpmLimit,
    maxParallel: body.maxParallel,
    allowedModels: body.allowedModels === null ? [] : body.allowedModels,
    alertWebhookUrl: body.alertWebhookUrl,
    alertWebhookFormat: body.alertWebhookFormat === null ? 'json' : body.alertWebhookFormat,
    alertWebhookSecret: body.alertWebhookSecret,
    metadata: body.metadata === undefined ? undefined : ((body.metadata ?? {}) as Prisma.InputJsonValue),
  };
}

function rulesOf(row: { id: string; name: string; budgets: unknown }) {
  return budgetRules('team' satisfies LimitScope, row.id, storedBudgets(row.budgets), row.name);
}

function nameTaken(error: unknown, name: string): unknown {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002'
    ? new ConflictException(`A team named "${name}" already exists; team names are unique.`)
    : error;
}
