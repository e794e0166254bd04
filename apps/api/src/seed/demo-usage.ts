import { computeCost, DEMO_MODELS, ModelCatalog, type TokenUsage, unknownUsage } from '@aigw/ai';
import { Prisma } from '@aigw/db';
import {
  FAILURE_RATE,
  INCIDENT,
  SEED_USERS,
  type SeedModelUse,
  type SeedUser,
  SPEED,
} from './demo-seed-plan.js';
import { randomTools, seededRandom } from './seeded-random.js';

/** Seeded rows are recognised by their requestId, so a re-run can replace them and nothing else. */
export const DEMO_REQUEST_ID_PREFIX = 'seed-demo-';

const DAY_MS = 24 * 60 * 60 * 1000;
// Share of a day's traffic per UTC hour: quiet nights, a working-day hump.
const HOURS = [1, 1, 1, 1, 1, 2, 3, 5, 8, 10, 11, 11, 10, 10, 11, 11, 10, 8, 6, 5, 4, 3, 2, 1].map(
  (weight, hour) => ({ hour, weight }),
);
const FAILURES = [
  { weight: 35, code: 'rate_limited', status: 429, message: 'Rate limit reached for requests' },
  { weight: 30, code: 'upstream_error', status: 503, message: 'The upstream is overloaded' },
  { weight: 15, code: 'upstream_error', status: 502, message: 'Bad gateway' },
  { weight: 10, code: 'timeout', status: 504, message: 'The call timed out after 30000 ms' },
  { weight: 10, code: 'upstream_error', status: 500, message: 'Internal server error' },
];
// Where a failed request goes next (the route's fallback target).
const FALLBACK: Record<SeedModelUse['provider'], SeedModelUse> = {
  anthropic: { provider: 'openai', model: 'gpt-4o', weight: 1 },
  openai: { provider: 'anthropic', model: 'claude-haiku-4-5', weight: 1 },
  demo: { provider: 'demo', model: 'demo-chat', weight: 1 },
};

/** The prices the seeded costs come from: the same catalog the gateway prices real calls with. */
export function demoSeedCatalog(): ModelCatalog {
  const catalog = new ModelCatalog();
  catalog.addProvider({ name: 'openai', priceProviderId: 'openai' });
  catalog.addProvider({ name: 'anthropic', priceProviderId: 'anthropic' });
  catalog.addProvider({ name: 'demo', models: DEMO_MODELS });
  return catalog;
}

/** What to generate: 31 days back from `now` by default (a 30-day range is full), the same for one seed. */
export interface DemoUsageOptions {
  now: Date;
  days?: number;
  seed?: number;
  /** The seeded key of each user, set as the rows' apiKeyId (budgets count their spend). */
  keyIds?: Record<string, string>;
}

/**
 * A realistic month of usage rows: weekday and office-hour rhythm, growth over the month,
 * a bursty batch job, streams with time to first token, cache reads, embeddings, a few
 * percent of failures (429s, 5xx, timeouts) half of which fall back to another provider
 * as a second attempt, and an Anthropic incident day. Costs are computed from the catalog
 * prices exactly as the usage recorder computes them.
 */
export function demoUsageRows(options: DemoUsageOptions): Prisma.AIUsageLogCreateManyInput[] {
  const days = options.days ?? 31;
  const tools = randomTools(seededRandom(options.seed ?? 42));
  const catalog = demoSeedCatalog();
  const now = options.now.getTime();
  const today = Math.floor(now / DAY_MS) * DAY_MS;
  const rows: Prisma.AIUsageLogCreateManyInput[] = [];
  let sequence = 0;

  for (let daysAgo = days - 1; daysAgo >= 0; daysAgo--) {
    const dayStart = today - daysAgo * DAY_MS;
    const weekend = [0, 6].includes(new Date(dayStart).getUTCDay());
    const growth = 0.75 + 0.5 * (1 - daysAgo / days);
    for (const user of SEED_USERS) {
      const count = requestsOn(user, weekend, growth, tools);
      for (let i = 0; i < count; i++) {
        const at = dayStart + tools.pick(HOURS).hour * 3_600_000 + Math.floor(tools.random() * 3_600_000);
        if (at >= now) continue;
        const requestId = `${DEMO_REQUEST_ID_PREFIX}${String(++sequence).padStart(7, '0')}`;
        const use = tools.pick(user.models);
        const failureRate =
          INCIDENT.provider === use.provider && INCIDENT.daysAgo === daysAgo
            ? INCIDENT.failureRate
            : FAILURE_RATE[use.provider];
        const first = call({ user, use, at, requestId, attempt: 1, fail: tools.random() < failureRate });
        rows.push(first.row);
        // Half of the failed requests succeed on their route's fallback, as attempt 2.
        if (!first.row.isSuccess && tools.random() < 0.5) {
          const fallback = use.embedding ? use : FALLBACK[use.provider];
          const second = call({
            user,
            use: { ...fallback, requested: use.requested },
            at: at + first.row.latencyMs,
            requestId,
            attempt: 2,
            fail: false,
          });
          if (second.at < now) rows.push(second.row);
        }
      }
    }
  }
  return rows;

  function call(input: {
    user: SeedUser;
    use: SeedModelUse;
    at: number;
    requestId: string;
    attempt: number;
    fail: boolean;
  }) {
    const { user, use, at, fail } = input;
    const stream = !use.embedding && tools.random() < user.streamShare;
    const speed = SPEED[use.model] ?? { firstTokenMs: 400, msPerToken: 10 };
    const pricing = catalog.pricing(use.provider, use.model);
    const base = {
      requestId: input.requestId,
      attempt: input.attempt,
      userId: user.userId,
      apiKeyId: options.keyIds?.[user.userId] ?? null,
      provider: use.provider,
      model: use.model,
      requestedModel: use.requested ?? use.model,
      requestType: use.embedding ? 'embedding' : 'chat',
      stream,
      createdAt: new Date(at),
    };
    if (fail) {
      const failure = tools.pick(FAILURES);
      const cost = computeCost(unknownUsage(), pricing);
      return {
        at,
        row: {
          ...base,
          usageSource: 'unknown',
          costUsd: null,
          pricing: cost.pricing ? (cost.pricing as unknown as Prisma.InputJsonObject) : Prisma.DbNull,
          isSuccess: false,
          errorCode: failure.code,
          httpStatus: failure.status,
          latencyMs: failure.code === 'timeout' ? 30_000 : Math.round(tools.around(180, 0.6)),
          metadata: { seed: 'demo', error: `${use.provider}: ${failure.message}` },
        } satisfies Prisma.AIUsageLogCreateManyInput,
      };
    }
    const prompt = Math.max(8, Math.round(tools.around(user.promptTokens, 0.6)));
    const completion = use.embedding ? 0 : Math.max(1, Math.round(tools.around(user.completionTokens, 0.7)));
    const cacheRead =
      !use.embedding && prompt > 1024 && use.provider !== 'demo' && tools.random() < 0.35
        ? Math.floor((prompt * 0.6) / 128) * 128
        : 0;
    const usage: TokenUsage = {
      inputTokens: { total: prompt, noCache: prompt - cacheRead, cacheRead, cacheWrite: 0, cacheWrite1h: 0 },
      outputTokens: { total: completion, text: completion, reasoning: 0 },
      source: 'reported',
    };
    const cost = computeCost(usage, pricing);
    const firstToken = Math.round(tools.around(speed.firstTokenMs, 0.35));
    const latency = firstToken + Math.round(completion * speed.msPerToken * tools.around(1, 0.2));
    return {
      at,
      row: {
        ...base,
        promptTokens: prompt,
        cacheReadTokens: cacheRead,
        cacheWriteTokens: 0,
        completionTokens: completion,
        reasoningTokens: 0,
        totalTokens: prompt + completion,
        usageSource: 'reported',
        costUsd: cost.usd,
        pricing: cost.pricing ? (cost.pricing as unknown as Prisma.InputJsonObject) : Prisma.DbNull,
        isSuccess: true,
        latencyMs: latency,
        timeToFirstTokenMs: stream ? firstToken : null,
        metadata: { seed: 'demo' },
      } satisfies Prisma.AIUsageLogCreateManyInput,
    };
  }
}

function requestsOn(
  user: SeedUser,
  weekend: boolean,
  growth: number,
  tools: ReturnType<typeof randomTools>,
): number {
  if (user.bursty && tools.random() > 0.22) return 0;
  // Bots keep most of their traffic at weekends; people do not.
  const bot = !user.userId.includes('@');
  const week = weekend ? (bot ? 0.75 : 0.25) : 1;
  return Math.round(user.perDay * week * growth * tools.around(1, 0.15));
}
