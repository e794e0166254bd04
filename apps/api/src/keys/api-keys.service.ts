import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { ApiKeyModel, Prisma } from '@aigw/db';
import {
  type BeforeApplicationShutdown,
  ConflictException,
  Inject,
  Injectable,
  NotFoundException,
  type OnModuleInit,
} from '@nestjs/common';
import { type Budget, keyBudgets } from '../budgets/budget.js';
import { CLOCK, type Clock } from '../clock/clock.js';
import { DatabaseService } from '../database/database.service.js';
import type { Caller } from './caller.js';
import { callerOf } from './caller-of.js';
import { KeyChangeSync } from './key-change-sync.js';
import { VerifiedKeyCache } from './verified-key-cache.js';

const PREFIX = 'sk-gw-';

/** A virtual key as the admin API shows it (never the key itself, nor its hash). */
export interface ApiKeyView {
  id: string;
  keyPrefix: string;
  userId: string;
  teamId: string | null;
  name: string | null;
  /** The key's `total` budget (USD), also in `budgets`. */
  budgetUsd: string | null;
  budgets: Budget[];
  rpmLimit: number | null;
  tpmLimit: number | null;
  maxParallel: number | null;
  allowedModels: string[];
  expiresAt: string | null;
  createdAt: string;
  revokedAt: string | null;
}

/** The limits of a key an admin sets: undefined leaves a field as it is (on update), null clears it. */
interface KeyLimits {
  name?: string | null;
  teamId?: string | null;
  budgetUsd?: string | null;
  budgets?: Budget[] | null;
  rpmLimit?: number | null;
  tpmLimit?: number | null;
  maxParallel?: number | null;
  allowedModels?: string[] | null;
  expiresAt?: Date | null;
}

/** What an admin sets on a new key. */
export interface NewApiKey extends KeyLimits {
  userId: string;
}

/** Changes to a key's limits: undefined leaves a field as it is, null clears it. */
export type ApiKeyChanges = KeyLimits;

const hashOf = (key: string) => createHash('sha256').update(key).digest('hex');

/**
 * Virtual keys: issued to a user, stored only as a SHA-256 hash with a short visible
 * prefix, checked on every request, revoked at once. A key once verified is served from
 * a cache (no query per request); a revoke or an edit (of the key, its team or its user's
 * budgets) empties the cache here at once and on the other replicas within a second
 * (KeyChangeSync).
 */
@Injectable()
export class ApiKeysService implements OnModuleInit, BeforeApplicationShutdown {
  constructor(
    private readonly database: DatabaseService,
    @Inject(VerifiedKeyCache) private readonly cache: VerifiedKeyCache,
    @Inject(KeyChangeSync) private readonly sync: KeyChangeSync,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.sync.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.sync.stop();
  }

  /**
   * Issues a key; the returned `key` is shown this once and never stored. A key of a team
   * makes its user a member; a key for a member of exactly one team, naming none, is that team's.
   */
  async create(input: NewApiKey): Promise<ApiKeyView & { key: string }> {
    const key = `${PREFIX}${randomBytes(32).toString('base64url')}`;
    const prisma = this.database.prisma;
    if (input.teamId) await this.requireTeam(input.teamId);
    // No team named: the key goes to its user's team when the user is in exactly one. The
    // key keeps that team (it shows in its view) whatever memberships change later.
    if (input.teamId === undefined) {
      const memberships = await prisma.teamMember.findMany({ where: { userId: input.userId }, take: 2 });
      if (memberships.length === 1) input = { ...input, teamId: memberships[0]?.teamId };
    }
    const row = await prisma.$transaction(async (tx) => {
      const created = await tx.apiKey.create({
        data: {
          keyHash: hashOf(key),
          keyPrefix: key.slice(0, PREFIX.length + 6),
          userId: input.userId,
          ...limitColumns(input, []),
        },
      });
      if (input.teamId) await joinTeam(tx, input.teamId, input.userId);
      return created;
    });
    return { ...keyView(row), key };
  }

  /**
   * Keys, newest first: those not revoked (expired ones included: they can be extended), or
   * with `includeRevoked` every key.
   */
  async list(
    filter: { teamId?: string; userId?: string; includeRevoked?: boolean } = {},
  ): Promise<ApiKeyView[]> {
    const rows = await this.database.prisma.apiKey.findMany({
      where: {
        teamId: filter.teamId,
        userId: filter.userId,
        ...(filter.includeRevoked ? {} : { revokedAt: null }),
      },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    });
    return rows.map(keyView);
  }

  /** One key, or 404. */
  async get(id: string): Promise<ApiKeyView> {
    const row = await this.database.prisma.apiKey.findUnique({ where: { id } });
    if (!row) throw new NotFoundException(`No key with id "${id}"`);
    return keyView(row);
  }

  /**
   * Changes a key's label or limits. They apply from the key's next request (the cached
   * key is dropped). A revoked key is refused (409): it stays as it was when revoked.
   */
  async update(id: string, changes: ApiKeyChanges): Promise<ApiKeyView> {
    const existing = await this.database.prisma.apiKey.findUnique({ where: { id } });
    if (!existing) throw new NotFoundException(`No key with id "${id}"`);
    if (existing.revokedAt) throw new ConflictException(`Key "${id}" is revoked; issue a new key instead.`);
    if (changes.teamId) await this.requireTeam(changes.teamId);
    const row = await this.database.prisma.$transaction(async (tx) => {
      const updated = await tx.apiKey.update({
        where: { id },
        data: limitColumns(changes, keyBudgets(existing.budgets, existing.budgetUsd)),
      });
      if (changes.teamId) await joinTeam(tx, changes.teamId, existing.userId);
      return updated;
    });
    await this.forget(id);
    return keyView(row);
  }

  /** Revokes a key; requests with it get 401 from then on. */
  async revoke(id: string): Promise<ApiKeyView> {
    const existing = await this.database.prisma.apiKey.findUnique({ where: { id } });
    if (!existing) throw new NotFoundException(`No key with id "${id}"`);
    const row = existing.revokedAt
      ? existing
      : await this.database.prisma.apiKey.update({ where: { id }, data: { revokedAt: new Date() } });
    await this.forget(id);
    return keyView(row);
  }

  /**
   * The caller a presented key stands for (with its team's and user's limits), or null for
   * an unknown, revoked or expired key (`expired` tells the last apart).
   */
  async verify(token: string): Promise<Caller | null> {
    const found = await this.lookup(token);
    if (!found) return null;
    if (found.expiresAtMs !== null && found.expiresAtMs <= this.clock()) return null;
    return found;
  }

  /** Whether a presented key is one of ours that has expired (to say so in the 401). */
  async expiredAt(token: string): Promise<Date | null> {
    const found = await this.lookup(token);
    return found?.expiresAtMs != null && found.expiresAtMs <= this.clock()
      ? new Date(found.expiresAtMs)
      : null;
  }

  /** Drops every cached key, here and on the other replicas (a team's or user's limits changed). */
  async forgetAll(): Promise<void> {
    this.cache.clear();
    await this.sync.changed();
  }

  private async lookup(token: string): Promise<Caller | null> {
    if (!token.startsWith(PREFIX)) return null;
    const hash = hashOf(token);
    const cached = this.cache.get(hash);
    if (cached) return cached;
    const version = this.cache.version;
    const prisma = this.database.prisma;
    const row = await prisma.apiKey.findUnique({ where: { keyHash: hash }, include: { team: true } });
    // The lookup is by hash already; compare again in constant time all the same.
    if (!row || row.revokedAt || !timingSafeEqual(Buffer.from(row.keyHash), Buffer.from(hash))) return null;
    const userBudget = await prisma.userBudget.findUnique({ where: { userId: row.userId } });
    const caller = callerOf(row, row.team, userBudget);
    this.cache.set(hash, caller, version);
    return caller;
  }

  private async requireTeam(teamId: string): Promise<void> {
    const team = await this.database.prisma.team.findUnique({ where: { id: teamId }, select: { id: true } });
    if (!team) throw new NotFoundException(`No team with id "${teamId}"`);
  }

  /** Drops a changed key from the cache here, and tells the other replicas. */
  private async forget(id: string): Promise<void> {
    this.cache.invalidate(id);
    await this.sync.changed();
  }
}

/** A key of a team makes its user a member of that team (if not already). */
async function joinTeam(
  tx: Pick<Prisma.TransactionClient, 'teamMember'>,
  teamId: string,
  userId: string,
): Promise<void> {
  await tx.teamMember.upsert({
    where: { teamId_userId: { teamId, userId } },
    create: { teamId, userId },
    update: {},
  });
}

/** The columns of a key's limits; `budgets` and `budgetUsd` both set its `total` budget. */
function limitColumns(
  limits: KeyLimits,
  current: Budget[],
): Omit<Prisma.ApiKeyUncheckedCreateInput, 'keyHash' | 'keyPrefix' | 'userId'> {
  let budgets = limits.budgets === undefined ? current : (limits.budgets ?? []);
  if (limits.budgetUsd !== undefined) {
    budgets = budgets.filter((b) => b.period !== 'total');
    if (limits.budgetUsd !== null)
      budgets.push({ amountUsd: limits.budgetUsd, period: 'total', alertThresholds: [0.8] });
  }
  const total = budgets.find((b) => b.period === 'total');
  const budgetsChanged = limits.budgets !== undefined || limits.budgetUsd !== undefined;
  return {
    name: limits.name,
    teamId: limits.teamId,
    rpmLimit: limits.rpmLimit,
    tpmLimit: limits.tpmLimit,
    maxParallel: limits.maxParallel,
    allowedModels: limits.allowedModels === null ? [] : limits.allowedModels,
    expiresAt: limits.expiresAt,
    ...(budgetsChanged
      ? { budgets: budgets as unknown as Prisma.InputJsonValue, budgetUsd: total?.amountUsd ?? null }
      : {}),
  };
}

/** A key row as the admin API shows it. */
export function keyView(row: ApiKeyModel): ApiKeyView {
  return {
    id: row.id,
    keyPrefix: row.keyPrefix,
    userId: row.userId,
    teamId: row.teamId,
    name: row.name,
    budgetUsd: row.budgetUsd?.toFixed() ?? null,
    budgets: keyBudgets(row.budgets, row.budgetUsd),
    rpmLimit: row.rpmLimit,
    tpmLimit: row.tpmLimit,
    maxParallel: row.maxParallel,
    allowedModels: row.allowedModels,
    expiresAt: row.expiresAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}
