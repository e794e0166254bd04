import { AiRuntime, type ProviderHealth } from '@aigw/ai';
import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';

const CACHE_MS = 60_000;

/**
 * `providers` in /health: each provider's own health check (at most once a minute) and
 * its circuit breaker's state (live).
 * A provider that is down makes the gateway `degraded`, not down: restarting the
 * gateway would not bring an upstream back.
 */
@Injectable()
export class ProvidersHealthIndicator {
  private cached?: { at: number; results: Record<string, ProviderHealth> };

  constructor(
    private readonly health: HealthIndicatorService,
    private readonly runtime: AiRuntime,
  ) {}

  async check() {
    const session = this.health.check('providers');
    const results = await this.results();
    const breakers = this.runtime.breakers.states();
    const providers = Object.fromEntries(
      Object.entries(results).map(([name, health]) => [
        name,
        { ...health, breaker: breakers[name] ?? 'closed' },
      ]),
    );
    const healthy = Object.values(providers).every((p) => p.ok && p.breaker === 'closed');
    return healthy ? session.up({ providers }) : session.degraded({ providers });
  }

  private async results(): Promise<Record<string, ProviderHealth>> {
    if (this.cached && Date.now() - this.cached.at < CACHE_MS) return this.cached.results;
    const entries = await Promise.all(
      this.runtime.registry
        .list()
        .map(async (p) => [p.name, await p.healthCheck(AbortSignal.timeout(5000))] as const),
    );
    this.cached = { at: Date.now(), results: Object.fromEntries(entries) };
    return this.cached.results;
  }
}
