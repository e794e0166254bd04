import type { CallCost, TokenUsage } from '@aigw/ai';
import { Injectable } from '@nestjs/common';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** Seconds: LLM calls take from tens of milliseconds (embeddings, cache hits) to minutes (long generations). */
export const PROVIDER_DURATION_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 120];
/** Seconds until a stream's first token. */
export const TIME_TO_FIRST_TOKEN_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30];
/** Seconds of a whole HTTP request (streams included, so the tail is long). */
export const HTTP_DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

/** A circuit breaker's state; the gauge holds 0 (closed), 1 (half-open) or 2 (open). */
export type CircuitBreakerMetricState = 'closed' | 'half-open' | 'open';
const BREAKER_VALUES: Record<CircuitBreakerMetricState, number> = { closed: 0, 'half-open': 1, open: 2 };

/** One provider call attempt, as it ended. */
export interface ProviderCallMetrics {
  provider: string;
  /** The provider's model id. */
  model: string;
  requestType: string;
  stream: boolean;
  /** Undefined on success; the AIError code (or `internal_error`) otherwise. */
  errorCode?: string;
  durationSeconds: number;
  /** Streams only, when a first token arrived. */
  timeToFirstTokenSeconds?: number;
  /** Token counts of a successful call (unknown counts are skipped). */
  usage?: TokenUsage;
  /** Cost of a successful call, as the usage recorder computed it. */
  cost?: CallCost;
}

type TokenKind = 'input' | 'output' | 'cache_read' | 'cache_write' | 'reasoning';

/** One answered HTTP request, as HttpMetricsHook saw it. */
interface HttpRequestMetrics {
  route: string;
  method: string;
  status: number;
  durationSeconds: number;
}

/** Records kept before they are applied to the metrics (see MetricsService). */
const MAX_PENDING = 256;

/**
 * The app's Prometheus metrics, in a registry of its own (never prom-client's global
 * one: several apps can run in one process, as the tests do). Provider attempts are
 * fed by MetricsInterceptor, HTTP requests by HttpMetricsHook; the circuit breaker and
 * limiter series are set by the routing and limits code through the methods below.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  // Provider calls and HTTP requests are queued and applied to the prom-client metrics
  // in batches: when MAX_PENDING are waiting, and before any of those metrics is read
  // (each one's `collect`), so a scrape always sees every record made before it. One
  // request's updates (a dozen label lookups and increments, run cold between the
  // request's other work) cost more in its path than the same updates in a warm loop.
  private pendingCalls: ProviderCallMetrics[] = [];
  private pendingHttp: HttpRequestMetrics[] = [];

  /** Applies the queued records; an arrow function, as it is every batched metric's `collect`. */
  private readonly applyPending = (): void => {
    const calls = this.pendingCalls;
    const http = this.pendingHttp;
    if (calls.length === 0 && http.length === 0) return;
    this.pendingCalls = [];
    this.pendingHttp = [];
    for (const call of calls) this.applyProviderCall(call);
    for (const request of http) this.applyHttpRequest(request);
  };

  private readonly providerRequests = new Counter({
    name: 'aigw_provider_requests_total',
    help: 'Provider call attempts (each retry or fallback is one), by outcome',
    labelNames: ['provider', 'model', 'request_type', 'stream', 'outcome'] as const,
    registers: [this.registry],
    collect: this.applyPending,
  });

  private readonly providerErrors = new Counter({
    name: 'aigw_provider_errors_total',
    help: 'Failed provider call attempts, by error code (rate_limited, upstream_error, timeout, ...)',
    labelNames: ['provider', 'model', 'code'] as const,
    registers: [this.registry],
    collect: this.applyPending,
  });

  private readonly providerDuration = new Histogram({
    name: 'aigw_provider_request_duration_seconds',
    help: 'Duration of provider call attempts (streams: until the last part), successful or not',
    labelNames: ['provider', 'model'] as const,
    buckets: PROVIDER_DURATION_BUCKETS,
    registers: [this.registry],
    collect: this.applyPending,
  });

  private readonly timeToFirstToken = new Histogram({
    name: 'aigw_provider_time_to_first_token_seconds',
    help: 'Time from the start of a streaming attempt to its first token',
    labelNames: ['provider', 'model'] as const,
    buckets: TIME_TO_FIRST_TOKEN_BUCKETS,
    registers: [this.registry],
    collect: this.applyPending,
  });

  private readonly tokens = new Counter({
    name: 'aigw_tokens_total',
    help: 'Tokens of successful calls. input: all input (cache reads and writes included); cache_read, cache_write: parts of input; output: all output; reasoning: part of output',
    labelNames: ['provider', 'model', 'kind'] as const,
    registers: [this.registry],
    collect: this.applyPending,
  });

  // A float counter: sums of floats drift in the last digits, which is fine for a
  // dashboard. The exact bill is the database (AIUsageLog.costUsd, decimals).
  private readonly costUsd = new Counter({
    name: 'aigw_cost_usd_total',
    help: 'Cost of successful calls in USD (approximate float sum; the exact figures are in AIUsageLog)',
    labelNames: ['provider', 'model'] as const,
    registers: [this.registry],
    collect: this.applyPending,
  });

  private readonly unpriced = new Counter({
    name: 'aigw_unpriced_requests_total',
    help: 'Successful calls to models without a known price (their cost is not in aigw_cost_usd_total)',
    labelNames: ['provider', 'model'] as const,
    registers: [this.registry],
    collect: this.applyPending,
  });

  private readonly breakerState = new Gauge({
    name: 'aigw_circuit_breaker_state',
    help: 'Circuit breaker state per provider target: 0 closed, 1 half-open, 2 open',
    labelNames: ['provider', 'target'] as const,
    registers: [this.registry],
  });

  private readonly limiterRejections = new Counter({
    name: 'aigw_limiter_rejections_total',
    help: 'Requests rejected by a rate, concurrency or budget limit',
    labelNames: ['scope', 'limit'] as const,
    registers: [this.registry],
  });

  private readonly alertDeliveries = new Counter({
    name: 'aigw_alert_deliveries_total',
    help: 'Budget alert webhooks, by how their delivery ended (failed: after every retry)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  private readonly httpRequests = new Counter({
    name: 'aigw_http_requests_total',
    help: 'HTTP requests answered, by matched route pattern, method and status',
    labelNames: ['route', 'method', 'status'] as const,
    registers: [this.registry],
    collect: this.applyPending,
  });

  private readonly httpDuration = new Histogram({
    name: 'aigw_http_request_duration_seconds',
    help: 'Duration of HTTP requests (streams: until the last byte), by matched route pattern and method',
    labelNames: ['route', 'method'] as const,
    buckets: HTTP_DURATION_BUCKETS,
    registers: [this.registry],
    collect: this.applyPending,
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'aigw_' });
  }

  /** The exposition text of every metric. */
  metrics(): Promise<string> {
    return this.registry.metrics();
  }

  /** The content type of `metrics()`. */
  get contentType(): string {
    return this.registry.contentType;
  }

  /** Records one provider call attempt. */
  recordProviderCall(call: ProviderCallMetrics): void {
    this.pendingCalls.push(call);
    if (this.pendingCalls.length >= MAX_PENDING) this.applyPending();
  }

  private applyProviderCall(call: ProviderCallMetrics): void {
    const { provider, model } = call;
    this.providerRequests.inc({
      provider,
      model,
      request_type: call.requestType,
      stream: String(call.stream),
      outcome: call.errorCode === undefined ? 'success' : 'error',
    });
    if (call.errorCode !== undefined) this.providerErrors.inc({ provider, model, code: call.errorCode });
    this.providerDuration.observe({ provider, model }, Math.max(0, call.durationSeconds));
    if (call.timeToFirstTokenSeconds !== undefined)
      this.timeToFirstToken.observe({ provider, model }, Math.max(0, call.timeToFirstTokenSeconds));
    if (call.usage && call.usage.source !== 'unknown') {
      const { inputTokens, outputTokens } = call.usage;
      const counts: [TokenKind, number | undefined][] = [
        ['input', inputTokens.total],
        ['output', outputTokens.total],
        ['cache_read', inputTokens.cacheRead],
        ['cache_write', inputTokens.cacheWrite],
        ['reasoning', outputTokens.reasoning],
      ];
      for (const [kind, count] of counts) {
        // Unknown counts are left out, never counted as zero.
        if (count !== undefined && Number.isFinite(count) && count >= 0)
          this.tokens.inc({ provider, model, kind }, count);
      }
    }
    if (call.cost) {
      if (call.cost.status === 'unpriced') this.unpriced.inc({ provider, model });
      const usd = call.cost.usd === null ? Number.NaN : Number(call.cost.usd);
      if (Number.isFinite(usd) && usd >= 0) this.costUsd.inc({ provider, model }, usd);
    }
  }

  /** Sets a circuit breaker's state (called by the routing code on each change). */
  setCircuitBreakerState(provider: string, target: string, state: CircuitBreakerMetricState): void {
    this.breakerState.set({ provider, target }, BREAKER_VALUES[state]);
  }

  /** Counts a request rejected by a limit, e.g. scope `key`, limit `rpm`. */
  recordLimiterRejection(scope: string, limit: string): void {
    this.limiterRejections.inc({ scope, limit });
  }

  /** Counts a budget alert webhook delivered, or failed after its last retry. */
  recordAlertDelivery(outcome: 'delivered' | 'failed'): void {
    this.alertDeliveries.inc({ outcome });
  }

  /** Records one answered HTTP request; `route` is the matched pattern, never the raw URL. */
  recordHttpRequest(route: string, method: string, status: number, durationSeconds: number): void {
    this.pendingHttp.push({ route, method, status, durationSeconds });
    if (this.pendingHttp.length >= MAX_PENDING) this.applyPending();
  }

  private applyHttpRequest({ route, method, status, durationSeconds }: HttpRequestMetrics): void {
    this.httpRequests.inc({ route, method, status: String(status) });
    this.httpDuration.observe({ route, method }, Math.max(0, durationSeconds));
  }
}
