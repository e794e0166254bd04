import { AiRuntime, type BreakerState } from '@aigw/ai';
import { Prisma } from '@aigw/db';
import { Injectable } from '@nestjs/common';
import { DatabaseService } from '../database/database.service.js';
import type { ProvidersQuery } from './usage-providers.schema.js';

/** p50 and p95 of a duration in ms (rounded), or null with no rows to measure. */
export interface Percentiles {
  p50: number | null;
  p95: number | null;
}

/** How reliable and fast a set of calls was. */
export interface ReliabilityMeasures {
  /** Rows (provider call attempts). */
  requests: number;
  failures: number;
  /** failures / requests, rounded to 4 decimals (0.0123 = 1.23%); null with no requests. */
  failureRate: number | null;
  /** Latency of successful calls (failures end early or at a timeout, and would blur it). */
  latencyMs: Percentiles;
  /** Time to first token of successful streams. */
  timeToFirstTokenMs: Percentiles;
}

/** One provider: configured now, seen in the usage rows of the range, or both. */
export interface ProviderReliability extends ReliabilityMeasures {
  provider: string;
  /** Whether this gateway has the provider now (rows may name one since removed). */
  configured: boolean;
  displayName: string | null;
  type: string | null;
  /** The local demo provider: canned answers at demo prices. */
  demo: boolean;
  /** Its circuit breaker now (this replica's view); null when not configured. */
  breaker: BreakerState | null;
}

/** `GET /admin/usage/providers`'s answer. */
export interface ProvidersReliability {
  from: string;
  to: string;
  providers: ProviderReliability[];
  /** Every provider together (the failure rate of all calls in the range). */
  totals: ReliabilityMeasures;
}

type RawRow = Record<string, unknown> & { provider: string | null };

// Percentiles in the database (percentile_cont interpolates, as most dashboards do).
const MEASURES = Prisma.sql`
  COUNT(*) AS "requests",
  COUNT(*) FILTER (WHERE NOT "isSuccess") AS "failures",
  ROUND(COUNT(*) FILTER (WHERE NOT "isSuccess")::numeric / NULLIF(COUNT(*), 0), 4)::float8 AS "failureRate",
  ROUND(percentile_cont(0.5) WITHIN GROUP (ORDER BY "latencyMs") FILTER (WHERE "isSuccess"))::int AS "latencyP50",
  ROUND(percentile_cont(0.95) WITHIN GROUP (ORDER BY "latencyMs") FILTER (WHERE "isSuccess"))::int AS "latencyP95",
  ROUND(percentile_cont(0.5) WITHIN GROUP (ORDER BY "timeToFirstTokenMs") FILTER (WHERE "isSuccess"))::int AS "ttftP50",
  ROUND(percentile_cont(0.95) WITHIN GROUP (ORDER BY "timeToFirstTokenMs") FILTER (WHERE "isSuccess"))::int AS "ttftP95"`;

/** Failure rate, latency percentiles and breaker state per provider, for the dashboard. */
@Injectable()
export class UsageProvidersService {
  constructor(
    private readonly database: DatabaseService,
    private readonly runtime: AiRuntime,
  ) {}

  async reliability(query: ProvidersQuery): Promise<ProvidersReliability> {
    // One scan for the providers and the total (GROUPING SETS): they always agree.
    const raw = await this.database.prisma.$queryRaw<RawRow[]>`
      SELECT "provider", ${MEASURES}
      FROM "AIUsageLog"
      WHERE "createdAt" >= ${query.from.toISOString()}::timestamptz AND "createdAt" < ${query.to.toISOString()}::timestamptz
      GROUP BY GROUPING SETS (("provider"), ())`;
    const totals = raw.find((r) => r.provider === null);
    const seen = new Map(raw.filter((r) => r.provider !== null).map((r) => [r.provider as string, r]));
    const breakers = this.runtime.breakers.states();
    const configured = new Map(this.runtime.registry.list().map((p) => [p.name, p]));
    const names = [...new Set([...configured.keys(), ...seen.keys()])];
    const providers = names.map((name): ProviderReliability => {
      const provider = configured.get(name);
      return {
        provider: name,
        configured: !!provider,
        displayName: provider?.displayName ?? null,
        type: provider?.type ?? null,
        demo: provider?.type === 'demo',
        breaker: provider ? (breakers[name] ?? 'closed') : null,
        ...measuresOf(seen.get(name) ?? {}),
      };
    });
    // Busiest first; a configured provider with no calls still shows (with its breaker).
    providers.sort((a, b) => b.requests - a.requests || (a.provider < b.provider ? -1 : 1));
    return {
      from: query.from.toISOString(),
      to: query.to.toISOString(),
      providers,
      totals: measuresOf(totals ?? {}),
    };
  }
}

function measuresOf(raw: Record<string, unknown>): ReliabilityMeasures {
  const int = (key: string) => (raw[key] === null || raw[key] === undefined ? null : Number(raw[key]));
  return {
    requests: Number(raw.requests ?? 0),
    failures: Number(raw.failures ?? 0),
    failureRate: int('failureRate'),
    latencyMs: { p50: int('latencyP50'), p95: int('latencyP95') },
    timeToFirstTokenMs: { p50: int('ttftP50'), p95: int('ttftP95') },
  };
}
