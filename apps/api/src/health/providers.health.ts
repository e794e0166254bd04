import { type ProviderHealth, ProviderRegistry } from '@aigw/ai';
import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';

const CACHE_MS = 60_000;

/**
 * `providers` in /health: each provider's own health check, at most once a minute.
 * A provider that is down makes the gateway `degraded`, not down: restarting the
 * gateway would not bring an upstream back.
 */
@Injectable()
export class ProvidersHealthIndicator {
  private cached?: { at: number; results: Record<string, ProviderHealth> };

  constructor(
    private readonly health: HealthIndicatorService,
    private readonly registry: ProviderRegistry,
  ) {}

  async check() {
    const session = this.health.check('providers');
    const results = await this.results();
    const data = { providers: results };
    return Object.values(results).every((r) => r.ok) ? session.up(data) : session.degraded(data);
  }

  private async results(): Promise<Record<string, ProviderHealth>> {
    if (this.cached && Date.now() - this.cached.at < CACHE_MS) return this.cached.results;
    const entries = await Promise.all(
      this.registry
        .list()
        .map(async (p) => [p.name, await p.healthCheck(AbortSignal.timeout(5000))] as const),
    );
    this.cached = { at: Date.now(), results: Object.fromEntries(entries) };
    return this.cached.results;
  }
}
