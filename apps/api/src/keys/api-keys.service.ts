import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import {
  type BeforeApplicationShutdown,
  ConflictException,
  Inject,
  Injectable,
  NotFoundException,
  type OnModuleInit,
} from '@nestjs/common';
import { DatabaseService } from '../database/database.service.js';
import { KeyChangeSync } from './key-change-sync.js';
import { VerifiedKeyCache } from './verified-key-cache.js';

const PREFIX = 'sk-gw-';

/** A virtual key as the admin API shows it (never the key itself, nor its hash). */
export interface ApiKeyView {
  id: string;
  keyPrefix: string;
  userId: string;
  name: string | null;
  budgetUsd: string | null;
  rpmLimit: number | null;
  createdAt: string;
  revokedAt: string | null;
}

/** Who a verified key belongs to: the call context of every request made with it. */
export interface Caller {
  apiKeyId: string;
  userId: string;
  budgetUsd: string | null;
  rpmLimit: number | null;
}

/** What an admin sets on a new key. */
export interface NewApiKey {
  userId: string;
  name?: string;
  budgetUsd?: string;
  rpmLimit?: number;
}

/** Changes to a key's limits: undefined leaves a field as it is, null clears it. */
export interface ApiKeyChanges {
  name?: string | null;
  budgetUsd?: string | null;
  rpmLimit?: number | null;
}

const hashOf = (key: string) => createHash('sha256').update(key).digest('hex');

/**
 * Virtual keys: issued to a user, stored only as a SHA-256 hash with a short visible
 * prefix, checked on every request, revoked at once. A key once verified is served from
 * a cache (no query per request); a revoke or an edit empties the cache here at once and
 * on the other replicas within a second (KeyChangeSync).
 */
@Injectable()
export class ApiKeysService implements OnModuleInit, BeforeApplicationShutdown {
  constructor(
    private readonly database: DatabaseService,
    @Inject(VerifiedKeyCache) private readonly cache: VerifiedKeyCache,
    @Inject(KeyChangeSync) private readonly sync: KeyChangeSync,
  ) {}

  onModuleInit(): void {
    this.sync.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.sync.stop();
  }

  /** Issues a key; the returned `key` is shown this once and never stored. */
  async create(input: NewApiKey): Promise<ApiKeyView & { key: string }> {
    const key = `${PREFIX}${randomBytes(32).toString('base64url')}`;
    const row = await this.database.prisma.apiKey.create({
      data: {
        keyHash: hashOf(key),
        keyPrefix: key.slice(0, PREFIX.length + 6),
        userId: input.userId,
        name: input.name ?? null,
        budgetUsd: input.budgetUsd ?? null,
        rpmLimit: input.rpmLimit ?? null,
      },
    });
    return { ...view(row), key };
  }

  async list(): Promise<ApiKeyView[]> {
    const rows = await this.database.prisma.apiKey.findMany({
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    });
    return rows.map(view);
  }

  /**
   * Changes a key's label, budget or rpm limit. They apply from the key's next request
   * (the cached key is dropped). A revoked key is refused (409): it stays as it was when
   * revoked.
   */
  async update(id: string, changes: ApiKeyChanges): Promise<ApiKeyView> {
    const existing = await this.database.prisma.apiKey.findUnique({ where: { id } });
    if (!existing) throw new NotFoundException(`No key with id "${id}"`);
    if (existing.revokedAt) throw new ConflictException(`Key "${id}" is revoked; issue a new key instead.`);
    const row = await this.database.prisma.apiKey.update({
      where: { id },
      data: { name: changes.name, budgetUsd: changes.budgetUsd, rpmLimit: changes.rpmLimit },
    });
    await this.forget(id);
    return view(row);
  }

  /** Revokes a key; requests with it get 401 from then on. */
  async revoke(id: string): Promise<ApiKeyView> {
    const existing = await this.database.prisma.apiKey.findUnique({ where: { id } });
    if (!existing) throw new NotFoundException(`No key with id "${id}"`);
    const row = existing.revokedAt
      ? existing
      : await this.database.prisma.apiKey.update({ where: { id }, data: { revokedAt: new Date() } });
    await this.forget(id);
    return view(row);
  }

  /** The caller a presented key stands for, or null for an unknown or revoked key. */
  async verify(token: string): Promise<Caller | null> {
    if (!token.startsWith(PREFIX)) return null;
    const hash = hashOf(token);
    const cached = this.cache.get(hash);
    if (cached) return cached;
    const version = this.cache.version;
    const row = await this.database.prisma.apiKey.findUnique({ where: { keyHash: hash } });
    // The lookup is by hash already; compare again in constant time all the same.
    if (!row || row.revokedAt || !timingSafeEqual(Buffer.from(row.keyHash), Buffer.from(hash))) return null;
    const caller: Caller = {
      apiKeyId: row.id,
      userId: row.userId,
      budgetUsd: row.budgetUsd?.toFixed() ?? null,
      rpmLimit: row.rpmLimit,
    };
    this.cache.set(hash, caller, version);
    return caller;
  }

  /** Drops a changed key from the cache here, and tells the other replicas. */
  private async forget(id: string): Promise<void> {
    this.cache.invalidate(id);
    await this.sync.changed();
  }
}

function view(row: {
  id: string;
  keyPrefix: string;
  userId: string;
  name: string | null;
  budgetUsd: { toFixed(): string } | null;
  rpmLimit: number | null;
  createdAt: Date;
  revokedAt: Date | null;
}): ApiKeyView {
  return {
    id: row.id,
    keyPrefix: row.keyPrefix,
    userId: row.userId,
    name: row.name,
    budgetUsd: row.budgetUsd?.toFixed() ?? null,
    rpmLimit: row.rpmLimit,
    createdAt: row.createdAt.toISOString(),
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}
