import { databaseConfigFromEnv } from '@aigw/db';
import { type DynamicModule, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { APP_FILTER } from '@nestjs/core';
import type { DestinationStream, Logger } from 'pino';
import { GatewayAiModule } from './ai/gateway-ai.module.js';
import { AlertsModule } from './alerts/alerts.module.js';
import { AuthModule } from './auth/auth.module.js';
import { type Clock, ClockModule } from './clock/clock.js';
import type { AdminKey } from './config/admin-key.js';
import { type Env, parseEnv } from './config/env.schema.js';
import { DatabaseModule } from './database/database.module.js';
import { AnthropicGatewayModule } from './gateway/anthropic/anthropic-gateway.module.js';
import { OpenAIGatewayModule } from './gateway/openai/openai-gateway.module.js';
import { ResponsesModule } from './gateway/responses/responses.module.js';
import { HealthModule } from './health/health.module.js';
import { GatewayExceptionFilter } from './http/gateway-exception.filter.js';
import { KeysModule } from './keys/keys.module.js';
import { LimitsModule } from './limits/limits.module.js';
import { LoggingModule } from './logging/logging.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { TeamsModule } from './teams/teams.module.js';
import { TracingModule } from './tracing/tracing.module.js';
import { UsageModule } from './usage/usage.module.js';
import { UsersModule } from './users/users.module.js';

/** What the app is built from: the raw environment, the admin key in force, and a log sink. */
export interface AppOptions {
  env: Record<string, string | undefined>;
  adminKey: AdminKey;
  logDestination?: DestinationStream;
  /** Delay between migration attempts while the database is unreachable. */
  migrateRetryMs?: number;
  /** The clock of budget periods and key expiry (default Date.now); tests move it. */
  clock?: Clock;
}

@Module({})
export class AppModule {
  /** Throws InvalidEnvironmentError, naming each bad variable, before anything starts. */
  static forRoot(options: AppOptions, logger: Logger): DynamicModule {
    const env: Env = parseEnv(options.env);
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot({
          isGlobal: true,
          ignoreEnvFile: true,
          ignoreEnvVars: true,
          skipProcessEnv: true,
          validate: () => stripUndefined(env),
        }),
        LoggingModule.forRoot(logger),
        TracingModule.forRoot(env),
        ClockModule.forRoot(options.clock),
        MetricsModule,
        AuthModule.forRoot(options.adminKey),
        DatabaseModule.forRoot({
          config: databaseConfigFromEnv(options.env),
          migrateOnStart: env.MIGRATE_ON_START,
          migrateRetryMs: options.migrateRetryMs,
        }),
        LimitsModule.forRoot(env),
        AlertsModule,
        GatewayAiModule.forRoot(options.env, env),
        KeysModule.forRoot(env),
        UsageModule,
        TeamsModule,
        UsersModule,
        OpenAIGatewayModule,
        AnthropicGatewayModule,
        ResponsesModule,
        HealthModule,
      ],
      providers: [{ provide: APP_FILTER, useClass: GatewayExceptionFilter }],
    };
  }
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
