import { AiModule, type LimitStore } from '@aigw/ai';
import { type DynamicModule, Module } from '@nestjs/common';
import { DatabaseService } from '../database/database.service.js';
import { LIMIT_STORE, RATE_LIMIT_WINDOW_MS } from '../limits/limit-tokens.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { MetricsInterceptor } from '../metrics/metrics-interceptor.js';

/** The provider layer, recording usage through the app's database and feeding /metrics. */
@Module({})
export class GatewayAiModule {
  static forRoot(env: Record<string, string | undefined>, spoolDir: string): DynamicModule {
    return {
      module: GatewayAiModule,
      imports: [
        AiModule.forRootAsync({
          isGlobal: true,
          inject: [DatabaseService, MetricsService, LIMIT_STORE, RATE_LIMIT_WINDOW_MS],
          useFactory: (
            database: DatabaseService,
            metrics: MetricsService,
            limitStore: LimitStore,
            windowMs: number,
          ) => ({
            env,
            prisma: database.prisma,
            spoolDir,
            // Provider rpm/tpm and key budgets, in the same store as the keys' rpm.
            limits: { store: limitStore, windowMs },
            interceptors: [new MetricsInterceptor(metrics)],
            // Breakers are per provider, so the provider is also the target.
            onBreakerStateChange: (target, state) => metrics.setCircuitBreakerState(target, target, state),
          }),
        }),
      ],
    };
  }
}
