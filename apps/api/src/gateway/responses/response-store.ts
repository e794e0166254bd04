import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Env } from '../../config/env.schema.js';
import { DatabaseService } from '../../database/database.service.js';

/** An input or output item of the Responses API, as stored (JSON with a `type`, usually an `id`). */
export type StoredItem = Record<string, unknown> & { type?: string; id?: string };

/** A kept response and what the gateway knows of it. */
export interface StoredResponse {
  id: string;
  userId: string;
  requestId: string;
  provider: string | null;
  requestedModel: string;
  status: string;
  previousResponseId: string | null;
  storedUpstream: boolean;
  background: boolean;
  /** The Response object as the caller got it (or as it stands, while running). */
  response: Record<string, unknown>;
}

/** A stored item found by its id, and who answered the response it belongs to. */
export interface FoundItem {
  item: StoredItem;
  provider: string | null;
  storedUpstream: boolean;
}

/** A response to keep, with this turn's input items and its output items. */
export interface ResponseToStore extends StoredResponse {
  apiKeyId?: string;
  inputItems: StoredItem[];
  outputItems: StoredItem[];
}

/** How a response the caller got is to be kept (besides the response itself). */
export interface AnsweredResponse {
  prepared: { inputItems: StoredItem[]; previous?: StoredResponse };
  caller: { userId: string; apiKeyId?: string };
  requestId: string;
  model: string;
  provider: string | null;
  /** The provider keeps it too (the native lane with `store` on). */
  storedUpstream: boolean;
  background: boolean;
}

/** The longest `previous_response_id` chain a request may continue (turns, not items). */
const MAX_CHAIN = 500;
const HOUR_MS = 3_600_000;

/**
 * The Responses API's state, in PostgreSQL (AIResponse, AIResponseItem): responses kept
 * for GET, `previous_response_id` and `item_reference`, each readable only by the user
 * whose key made it, and gone after RESPONSES_RETENTION_DAYS (swept hourly).
 */
@Injectable()
export class ResponseStore implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('ResponseStore');
  private readonly retentionDays: number;
  private sweeper?: NodeJS.Timeout;

  constructor(
    private readonly db: DatabaseService,
    config: ConfigService<Env, true>,
  ) {
    this.retentionDays = config.get('RESPONSES_RETENTION_DAYS', { infer: true });
  }

  onModuleInit(): void {
    if (!this.retentionDays) return;
    this.sweeper = setInterval(() => {
      this.sweepExpired().catch((error: Error) =>
        this.logger.warn(`Deleting expired responses failed: ${error.message}`),
      );
    }, HOUR_MS);
    this.sweeper.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.sweeper);
  }

  /**
   * Keeps a response and its items. An id already kept for the same user is replaced (a
   * provider that repeats ids); one kept for another user is never touched: false then.
   */
  async save(record: ResponseToStore): Promise<boolean> {
    const prisma = this.db.prisma;
    const row = {
      userId: record.userId,
      apiKeyId: record.apiKeyId ?? null,
      requestId: record.requestId,
      provider: record.provider,
      requestedModel: record.requestedModel,
      status: record.status,
      previousResponseId: record.previousResponseId,
      storedUpstream: record.storedUpstream,
      background: record.background,
      response: record.response as object,
      expiresAt: this.retentionDays ? new Date(Date.now() + this.retentionDays * 86_400_000) : null,
    };
    const items = itemRows(record.id, record.userId, 'input', record.inputItems).concat(
      itemRows(record.id, record.userId, 'output', record.outputItems),
    );
    return prisma.$transaction(async (tx) => {
      const kept = await tx.aIResponse.findUnique({ where: { id: record.id }, select: { userId: true } });
      if (kept && kept.userId !== record.userId) return false;
      if (kept) {
        await tx.aIResponseItem.deleteMany({ where: { responseId: record.id } });
        await tx.aIResponse.update({ where: { id: record.id }, data: row });
      } else {
        await tx.aIResponse.create({ data: { id: record.id, ...row } });
      }
      await tx.aIResponseItem.createMany({ data: items });
      return true;
    });
  }

  /** Keeps a response the caller got; a database failure is logged, never the caller's failure. */
  async keepAnswered(response: Record<string, unknown>, answered: AnsweredResponse): Promise<void> {
    try {
      const kept = await this.save({
        id: String(response.id),
        userId: answered.caller.userId,
        apiKeyId: answered.caller.apiKeyId,
        requestId: answered.requestId,
        provider: answered.provider,
        requestedModel: answered.model,
        status: String(response.status ?? 'completed'),
        previousResponseId: answered.prepared.previous?.id ?? null,
        storedUpstream: answered.storedUpstream,
        background: answered.background,
        response,
        inputItems: answered.prepared.inputItems,
        outputItems: Array.isArray(response.output) ? (response.output as StoredItem[]) : [],
      });
      if (!kept) this.logger.warn(`Response id ${String(response.id)} is another user's: not kept`);
    } catch (error) {
      this.logger.warn(`Could not keep response ${String(response.id)}: ${(error as Error).message}`);
    }
  }

  /**
   * Moves a response on from one of the states `from` (a background run's steps, a cancel),
   * adding its output once it has one. False when it was no longer in one of them (cancelled
   * meanwhile, on any replica, or deleted): nothing is written then.
   */
  async transition(
    id: string,
    from: string[],
    change: { status: string; response: Record<string, unknown>; provider?: string | null },
    outputItems: StoredItem[] = [],
  ): Promise<boolean> {
    return this.db.prisma.$transaction(async (tx) => {
      const { count } = await tx.aIResponse.updateMany({
        where: { id, status: { in: from } },
        data: {
          status: change.status,
          response: change.response as object,
          ...(change.provider !== undefined ? { provider: change.provider } : {}),
        },
      });
      if (count === 0) return false;
      if (outputItems.length) {
        const owner = await tx.aIResponse.findUniqueOrThrow({ where: { id }, select: { userId: true } });
        await tx.aIResponseItem.deleteMany({ where: { responseId: id, kind: 'output' } });
        await tx.aIResponseItem.createMany({ data: itemRows(id, owner.userId, 'output', outputItems) });
      }
      return true;
    });
  }

  /** A response of this user's, unless it has expired. */
  async get(id: string, userId: string): Promise<StoredResponse | undefined> {
    const row = await this.db.prisma.aIResponse.findFirst({ where: { id, userId, ...this.notExpired() } });
    return row ? toStored(row) : undefined;
  }

  /** Deletes a response of this user's; false when there was none. */
  async delete(id: string, userId: string): Promise<boolean> {
    const { count } = await this.db.prisma.aIResponse.deleteMany({ where: { id, userId } });
    return count > 0;
  }

  /** One page of a response's input items, in `order`, after the item `after`. */
  async inputItems(
    id: string,
    options: { after?: string; limit: number; order: 'asc' | 'desc' },
  ): Promise<{ items: StoredItem[]; hasMore: boolean }> {
    const prisma = this.db.prisma;
    let from: number | undefined;
    if (options.after !== undefined) {
      const after = await prisma.aIResponseItem.findFirst({
        where: { responseId: id, kind: 'input', itemId: options.after },
        select: { position: true },
      });
      if (!after) return { items: [], hasMore: false };
      from = after.position;
    }
    const rows = await prisma.aIResponseItem.findMany({
      where: {
        responseId: id,
        kind: 'input',
        ...(from === undefined ? {} : { position: options.order === 'asc' ? { gt: from } : { lt: from } }),
      },
      orderBy: { position: options.order },
      take: options.limit + 1,
      select: { item: true },
    });
    return {
      items: rows.slice(0, options.limit).map((r) => r.item as StoredItem),
      hasMore: rows.length > options.limit,
    };
  }

  /**
   * The turns a request continues from `previousId`, oldest first, and their items in
   * order (each turn's input, then its output). Undefined when the user has no such response.
   */
  async history(
    previousId: string,
    userId: string,
  ): Promise<{ chain: StoredResponse[]; items: StoredItem[] } | undefined> {
    const prisma = this.db.prisma;
    // The chain in one statement, newest first, stopping at a response that is gone,
    // expired or another user's (as if the conversation began after it).
    const found = await prisma.$queryRaw<{ id: string }[]>`
      WITH RECURSIVE chain(id, previous, depth) AS (
        SELECT "id", "previousResponseId", 1 FROM "AIResponse"
        WHERE "id" = ${previousId} AND "userId" = ${userId}
          AND ("expiresAt" IS NULL OR "expiresAt" > now())
        UNION ALL
        SELECT r."id", r."previousResponseId", c.depth + 1 FROM "AIResponse" r
        JOIN chain c ON r."id" = c.previous
        WHERE r."userId" = ${userId} AND (r."expiresAt" IS NULL OR r."expiresAt" > now())
          AND c.depth < ${MAX_CHAIN}
      )
      SELECT id FROM chain ORDER BY depth DESC`;
    if (found.length === 0) return undefined;
    const order = new Map(found.map((r, i) => [r.id, i]));
    const chain = (await prisma.aIResponse.findMany({ where: { id: { in: found.map((r) => r.id) } } }))
      .map(toStored)
      .sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
    const rows = await prisma.aIResponseItem.findMany({
      where: { responseId: { in: chain.map((r) => r.id) } },
      select: { responseId: true, kind: true, position: true, item: true },
    });
    const turn = new Map(chain.map((r, i) => [r.id, i]));
    rows.sort(
      (a, b) =>
        (turn.get(a.responseId) ?? 0) - (turn.get(b.responseId) ?? 0) ||
        (a.kind === b.kind ? 0 : a.kind === 'input' ? -1 : 1) ||
        a.position - b.position,
    );
    return { chain, items: rows.map((r) => r.item as StoredItem) };
  }

  /**
   * The latest stored item of this user's with each id (for `item_reference` inputs), with
   * the provider of the response it belongs to and whether that provider keeps it too.
   */
  async findItems(ids: string[], userId: string): Promise<Map<string, FoundItem>> {
    if (!ids.length) return new Map();
    const rows = await this.db.prisma.aIResponseItem.findMany({
      where: { userId, itemId: { in: ids }, response: this.notExpired() },
      select: { itemId: true, item: true, response: { select: { provider: true, storedUpstream: true } } },
      orderBy: { response: { createdAt: 'asc' } },
    });
    return new Map(
      rows.map((r) => [
        r.itemId,
        {
          item: r.item as StoredItem,
          provider: r.response.provider,
          storedUpstream: r.response.storedUpstream,
        },
      ]),
    );
  }

  /** Deletes every expired response (their items go with them). */
  async sweepExpired(): Promise<number> {
    const { count } = await this.db.prisma.aIResponse.deleteMany({
      where: { expiresAt: { lte: new Date() } },
    });
    return count;
  }

  private notExpired() {
    return { OR: [{ expiresAt: null }, { expiresAt: { gt: new Date() } }] };
  }
}

/** The rows of a response's items of one kind, in order. */
function itemRows(responseId: string, userId: string, kind: 'input' | 'output', items: StoredItem[]) {
  return items.map((item, position) => ({
    responseId,
    kind,
    position,
    itemId: typeof item.id === 'string' ? item.id : '',
    userId,
    item: item as object,
  }));
}

function toStored(row: {
  id: string;
  userId: string;
  requestId: string;
  provider: string | null;
  requestedModel: string;
  status: string;
  previousResponseId: string | null;
  storedUpstream: boolean;
  background: boolean;
  response: unknown;
}): StoredResponse {
  return {
    id: row.id,
    userId: row.userId,
    requestId: row.requestId,
    provider: row.provider,
    requestedModel: row.requestedModel,
    status: row.status,
    previousResponseId: row.previousResponseId,
    storedUpstream: row.storedUpstream,
    background: row.background,
    response: row.response as Record<string, unknown>,
  };
}
