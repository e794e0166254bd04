import type { PrismaClient } from '@aigw/db';
import type { AiConfigFile } from '../config/ai-config.schema.js';
import type { LimitsOptions } from '../limits/limits-options.js';
import type { CallInterceptor } from '../pipeline/call-interceptor.js';
import type { BreakerState } from '../routing/circuit-breakers.js';
import type { IAIProvider } from '../types/ai-provider.js';
import type { UsageSink } from '../usage/usage-sink.js';

/** Options of `AiModule.forRoot` / `forRootAsync`. */
export interface AiModuleOptions {
  /** Where zero-config provider keys are read (default `process.env`). */
  env?: Record<string, string | undefined>;
  /** The YAML config: a parsed object, a file path, or (default) `AI_CONFIG` / `./ai.config.yaml`. */
  config?: AiConfigFile | string;
  /** Providers built in code, registered beside the configured ones. */
  providers?: IAIProvider[];
  /** Usage rows are written through this client (batched, off the request path). */
  prisma?: PrismaClient;
  /** Or any other sink for usage records (then `prisma` is not needed). */
  usageSink?: UsageSink;
  /** Where usage rows wait on disk while the database is down (default `./.data/usage-spool`). */
  spoolDir?: string;
  /** How often buffered usage rows are written in one batch (default 200 ms). */
  usageFlushIntervalMs?: number;
  /** userId recorded when a call names none and no request context is set (default `anonymous`). */
  defaultUserId?: string;
  /** Told when a provider's circuit breaker changes state (for metrics). */
  onBreakerStateChange?: (target: string, state: BreakerState) => void;
  /** Interceptors around every provider call, outside the usage recorder. */
  interceptors?: CallInterceptor[];
  /** Provider rpm/tpm limits and virtual-key budgets: where they are kept (default: in memory). */
  limits?: LimitsOptions;
}
