import type { IncomingMessage } from 'node:http';
import { AIError, type LimitStore } from '@aigw/ai';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { rateLimitHeaders } from '../http/rate-limit-headers.js';
import type { Caller, CallerLimit } from '../keys/caller.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { LIMIT_STORE, RATE_LIMIT_WINDOW_MS } from './limit-tokens.js';

/** A slot of a call in flight lapses after this unless refreshed (a replica that died frees its slots). */
const SLOT_TTL_MS = 10 * 60 * 1000;
/** A response open longer than this no longer keeps its slots alive. */
const MAX_SLOT_MS = 2 * 60 * 60 * 1000;

const WHOSE = { key: 'This API key', team: "This key's team" } as const;

/**
 * The limits a caller's key and team put on each incoming request: requests per minute
 * (`rpmLimit`, counted per request) and calls in flight (`maxParallel`: a slot held by each
 * request that calls a provider until its response ends, or its background run). Refusals are 429s with Retry-After; the requests window is also
 * reported in OpenAI's `x-ratelimit-*-requests` headers.
 */
@Injectable()
export class CallerLimiter {
  private readonly logger = new Logger('CallerLimiter');

  constructor(
    @Inject(LIMIT_STORE) private readonly store: LimitStore,
    @Inject(RATE_LIMIT_WINDOW_MS) private readonly windowMs: number,
    private readonly metrics: MetricsService,
  ) {}

  /** Counts the request and takes its slots, or throws a 429; the slots are freed when `reply` ends. */
  async admit(caller: Caller, reply: FastifyReply): Promise<void> {
    const counted: string[] = [];
    try {
      for (const limit of caller.requestRates) {
        const key = `${limit.scope}:${limit.id}:rpm`;
        if (await this.countRequest(key, limit, reply)) counted.push(key);
      }
      if (caller.parallel.length && makesACall(reply.request)) await this.takeSlots(caller.parallel, reply);
    } catch (error) {
      // A request refused by one limit must not use up the others it passed.
      await Promise.all(
        counted.map((key) => this.store.adjust(key, -1, this.windowMs).catch(() => undefined)),
      );
      throw error;
    }
  }

  /** Counts the request in `key`'s window (true when counted), or throws past the limit. */
  private async countRequest(key: string, limit: CallerLimit, reply: FastifyReply): Promise<boolean> {
    let hit: Awaited<ReturnType<LimitStore['hit']>>;
    try {
      hit = await this.store.hit(key, 1, limit.value, this.windowMs);
    } catch (error) {
      // An unreachable Redis must not take every request down: budgets still hold (they fail closed).
      this.logger.warn(
        `Request limit of ${limit.scope} ${limit.id} not checked: ${(error as Error).message}`,
      );
      return false;
    }
    // The key's own window is what OpenAI's clients read; a team's refusal reports its own.
    if (limit.scope === 'key' || !hit.allowed) {
      // On the raw response: a stream's head (written past Fastify) carries them too.
      const headers = rateLimitHeaders('requests', {
        limit: limit.value,
        remaining: hit.remaining,
        resetMs: hit.allowed ? (hit.resetMs ?? this.windowMs) : hit.retryAfterMs,
      });
      for (const [name, value] of Object.entries(headers)) reply.raw.setHeader(name, value);
    }
    if (hit.allowed) return true;
    this.metrics.recordLimiterRejection(limit.scope, 'rpm');
    const per = this.windowMs === 60_000 ? 'per minute' : `per ${this.windowMs / 1000} s`;
    throw new AIError(
      'rate_limited',
      `${WHOSE[limit.scope]} is limited to ${limit.value} requests ${per}; retry in ${seconds(hit.retryAfterMs)} s. ` +
        `An admin can raise the ${limit.scope}'s rpmLimit.`,
      {
        retryable: false,
        retryAfterMs: hit.retryAfterMs,
        limit: { scope: limit.scope, kind: 'rpm', value: limit.value, remaining: 0 },
      },
    );
  }

  private async takeSlots(limits: CallerLimit[], reply: FastifyReply): Promise<void> {
    const taken: { key: string; slotId: string }[] = [];
    const startedAt = Date.now();
    let ended = false;
    const release = () => {
      ended = true;
      clearInterval(refresh);
      for (const { key, slotId } of taken.splice(0))
        this.store.release(key, slotId).catch((e: Error) => this.logger.warn(`Slot not freed: ${e.message}`));
    };
    const refresh = setInterval(() => {
      if (Date.now() - startedAt > MAX_SLOT_MS) {
        clearInterval(refresh);
        return;
      }
      for (const { key, slotId } of taken)
        this.store.refresh(key, slotId, SLOT_TTL_MS).catch(() => undefined);
    }, SLOT_TTL_MS / 3);
    refresh.unref();
    // Listening before the first await: a client gone while the slots are taken frees them too.
    reply.raw.once('close', release);
    // A call that outlives its response (a background response) can keep its slots to its end.
    SLOT_HOLDERS.set(reply.request.raw, (done) => {
      reply.raw.off('close', release);
      if (ended) return;
      void done.finally(release);
    });
    for (const limit of limits) {
      const key = `${limit.scope}:${limit.id}:parallel`;
      let slot: Awaited<ReturnType<LimitStore['acquire']>>;
      try {
        slot = await this.store.acquire(key, limit.value, SLOT_TTL_MS);
      } catch (error) {
        this.logger.warn(
          `Parallel limit of ${limit.scope} ${limit.id} not checked: ${(error as Error).message}`,
        );
        continue;
      }
      if (slot.ok && slot.slotId) {
        taken.push({ key, slotId: slot.slotId });
        // The response ended while this slot was being taken: give it back at once.
        if (ended || reply.raw.destroyed) release();
        continue;
      }
      release();
      this.metrics.recordLimiterRejection(limit.scope, 'parallel');
      throw new AIError(
        'rate_limited',
        `${WHOSE[limit.scope]} may have ${limit.value} calls in flight at once (maxParallel), and ${slot.inUse} are; ` +
          'retry when one has ended.',
        {
          retryable: false,
          retryAfterMs: 1000,
          limit: { scope: limit.scope, kind: 'parallel', value: limit.value, remaining: 0 },
        },
      );
    }
  }
}

/** Requests that call a provider (and so are calls in flight); reads, cancels and token counts are not. */
function makesACall(request: FastifyRequest): boolean {
  const path = request.url.split('?')[0] ?? '';
  return request.method === 'POST' && !/\/(count_tokens|input_tokens|cancel)$/.test(path);
}

/** How a request's slots move from its response's end to a call's end, by request. */
const SLOT_HOLDERS = new WeakMap<IncomingMessage, (done: Promise<unknown>) => void>();

/**
 * Keeps the request's maxParallel slots until `done` settles rather than until its
 * response ends: a background response is a call in flight until its run ends.
 */
export function keepSlotsUntil(request: FastifyRequest, done: Promise<unknown>): void {
  SLOT_HOLDERS.get(request.raw)?.(done);
}

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));
