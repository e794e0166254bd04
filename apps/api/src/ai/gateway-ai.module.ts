import { AiModule, type LimitStore } from '@aigw/ai';
import { type DynamicModule, Module } from '@nestjs/common';
import { BudgetAlerts } from '../alerts/budget-alerts.js';
import { CLOCK, type Clock } from '../clock/clock.js';
import type { Env } from '../config/env.schema.js';
import { DatabaseService } from '../database/database.service.js';
import { LIMIT_STORE, RATE_LIMIT_WINDOW_MS } from '../limits/limit-tokens.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { MetricsInterceptor } from '../metrics/metrics-interceptor.js';
import { GenAiSpans } from '../tracing/gen-ai-spans.js';
import type { Tracing } from '../tracing/tracing.js';
import { TRACING } from '../tracing/tracing.module.js';

/** The provider layer, recording usage through the app's database and feeding /metrics. */
@Module({})
export class GatewayAiModule {
  static forRoot(
    env: Record<string, string | undefined>,
    settings: Pick<
      Env,
      | 'USAGE_SPOOL_DIR'
      | 'USAGE_FLUSH_INTERVAL_MS'
      | 'BUDGET_TIMEZONE'
      | 'OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT'
    >,
  ): DynamicModule {
    return {
      module: GatewayAiModule,
      imports: [
        AiModule.forRootAsync({
          isGlobal: true,
          inject: [
            DatabaseService,
            MetricsService,
            LIMIT_STORE,
            RATE_LIMIT_WINDOW_MS,
            CLOCK,
            BudgetAlerts,
            TRACING,
          ],
          useFactory: (
            database: DatabaseService,
            metrics: MetricsService,
            limitStore: LimitStore,
            windowMs: number,
            clock: Clock,
            alerts: BudgetAlerts,
            tracing: Tracing | null,
          ) => ({
            env,
            prisma: database.prisma,
            spoolDir: settings.USAGE_SPOOL_DIR,
            usageFlushIntervalMs: settings.USAGE_FLUSH_INTERVAL_MS,
            // Provider rpm/tpm and the budgets of keys, users and teams, in the same store as the keys' rpm.
            limits: {
              store: limitStore,
              windowMs,
              timeZone: settings.BUDGET_TIMEZONE,
              now: clock,
              onBudgetSpend: (spend) => alerts.onSpend(spend),
            },
            interceptors: [
              new MetricsInterceptor(metrics),
              ...(tracing
                ? [new GenAiSpans(settings.OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT)]
                : []),
            ],
            // Breakers are per provider, so the provider is also the target.
            onBreakerStateChange: (target, state) => metrics.setCircuitBreakerState(target, target, state),
          }),
        }),
      ],
    };
  }
}
