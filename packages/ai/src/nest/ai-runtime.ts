import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnModuleInit,
} from '@nestjs/common';
import type { AiConfigFile } from '../config/ai-config.schema.js';
import { demoProviderSetting } from '../config/demo-provider-setting.js';
import { loadAiConfig, parseAiConfig } from '../config/load-ai-config.js';
import { providersFromEnv } from '../config/providers-from-env.js';
import { BudgetInterceptor } from '../limits/budget-interceptor.js';
import { BudgetLedger } from '../limits/budget-ledger.js';
import type { LimitStore } from '../limits/limit-store.js';
import { MemoryLimitStore } from '../limits/memory-limit-store.js';
import { providerRateLimits } from '../limits/provider-rate-limits.js';
import { RateLimitInterceptor } from '../limits/rate-limit-interceptor.js';
import { spentFromPrisma } from '../limits/spent-from-prisma.js';
import { CallPipeline } from '../pipeline/call-pipeline.js';
import { UsageInterceptor } from '../pipeline/usage-interceptor.js';
import { buildRegistry } from '../registry/build-registry.js';
import type { ProviderRegistry } from '../registry/provider-registry.js';
import { CircuitBreakers, DEFAULT_BREAKER_SETTINGS } from '../routing/circuit-breakers.js';
import { DEFAULT_RETRY_SETTINGS } from '../routing/retry-delay.js';
import { SharedBreakerSync } from '../routing/shared-breaker-sync.js';
import type { UsageSink } from '../usage/usage-sink.js';
import { UsageWriter } from '../usage/usage-writer.js';
import { MODULE_OPTIONS_TOKEN } from './ai.module-definition.js';
import type { AiModuleOptions } from './ai-module-options.js';
import { AiService } from './ai-service.js';

/** What to set for real providers: said at start when there are none. */
const HOW_TO_CONFIGURE =
  'For real models set a provider key: OPENAI_API_KEY, ANTHROPIC_API_KEY, OPENROUTER_API_KEY, GEMINI_API_KEY, DEEPSEEK_API_KEY or GROQ_API_KEY; or OLLAMA_BASE_URL / VLLM_BASE_URL for a local server; or AI_CONFIG for a config file.';

/**
 * Everything AiModule provides, built once from its options: the registry, the usage
 * writer and the service. Starts the writer (replaying rows spooled by an earlier run)
 * and flushes it on shutdown, so no usage row is lost when the app stops.
 */
@Injectable()
export class AiRuntime implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger('AiModule');
  readonly registry: ProviderRegistry;
  readonly service: AiService;
  /** One circuit breaker per provider; their states show in /health. */
  readonly breakers: CircuitBreakers;
  /** Shares breaker openings with the other replicas through the limit store. */
  readonly breakerSync: SharedBreakerSync;
  readonly writer?: UsageWriter;
  /** Where provider rate limits and key budgets are counted. */
  readonly limitStore: LimitStore;
  /** Budgets of keys, users and teams: what calls reserve, and where each stands. */
  readonly budgets: BudgetLedger;

  constructor(@Inject(MODULE_OPTIONS_TOKEN) options: AiModuleOptions) {
    const env = options.env ?? process.env;
    const { config, source } = resolveConfig(options.config, env);
    this.registry = buildRegistry({
      envProviders: providersFromEnv(env),
      config,
      custom: options.providers,
      source,
      demoWhenNoProvider: demoProviderSetting(env) !== 'off',
      // Config entries skipped for a provider this environment does not enable, and the SDKs' warnings.
      logger: { warn: (m) => this.logger.warn(m), error: (m) => this.logger.error(m) },
    });
    let sink: UsageSink | undefined = options.usageSink;
    if (!sink) {
      if (!options.prisma) throw new Error('AiModule needs `prisma` (or a `usageSink`) to record usage');
      this.writer = new UsageWriter({
        prisma: options.prisma,
        spoolDir: resolve(options.spoolDir ?? '.data/usage-spool'),
        flushIntervalMs: options.usageFlushIntervalMs,
        logger: { warn: (m) => this.logger.warn(m), error: (m) => this.logger.error(m) },
      });
      sink = this.writer;
    }
    const limits = options.limits ?? {};
    this.limitStore = limits.store ?? new MemoryLimitStore();
    const limitLogger = { warn: (m: string) => this.logger.warn(m) };
    this.budgets = new BudgetLedger(
      this.limitStore,
      limits.loadSpentUsd ?? (options.prisma ? spentFromPrisma(options.prisma) : async () => '0'),
      {
        reservationTtlMs: limits.reservationTtlMs,
        timeZone: limits.timeZone,
        now: limits.now,
        onSpend: limits.onBudgetSpend,
        logger: limitLogger,
      },
    );
    const pipeline = new CallPipeline([
      ...(options.interceptors ?? []),
      // Provider limits first: a call they refuse reserves no budget. Both sit outside
      // the usage recorder, so a refused call (never sent) writes no row.
      new RateLimitInterceptor(this.limitStore, providerRateLimits(config), {
        windowMs: limits.windowMs,
        logger: limitLogger,
      }),
      new BudgetInterceptor(this.budgets, this.registry.catalog),
      new UsageInterceptor(sink, this.registry.catalog),
    ]);
    this.breakers = new CircuitBreakers(
      { ...DEFAULT_BREAKER_SETTINGS, ...config?.breaker },
      (target, state) => {
        const log = `Circuit breaker of ${target} is now ${state}`;
        if (state === 'open') this.logger.warn(log);
        else this.logger.log(log);
        options.onBreakerStateChange?.(target, state);
      },
      (target, untilMs) => this.breakerSync.published(target, untilMs),
    );
    this.breakerSync = new SharedBreakerSync(this.breakers, this.limitStore, (error) =>
      this.logger.warn(`Sharing breaker state failed: ${error.message}`),
    );
    this.service = new AiService(this.registry, pipeline, options.defaultUserId ?? 'anonymous', {
      breakers: this.breakers,
      backoff: { ...DEFAULT_RETRY_SETTINGS, ...config?.retry },
    });
  }

  async onModuleInit(): Promise<void> {
    await this.writer?.start();
    this.breakerSync.start();
    const providers = this.registry.list();
    const names = providers.map((p) => p.name);
    if (!providers.length) this.logger.warn(`No AI provider is configured. ${HOW_TO_CONFIGURE}`);
    else if (providers.every((p) => p.type === 'demo'))
      this.logger.warn(
        `No AI provider is configured, so the demo provider is on: it answers locally with canned text at demo prices (models ${this.registry
          .listModels()
          .map((m) => `${m.provider}/${m.id}`)
          .join(
            ', ',
          )}), nothing leaves this machine. ${HOW_TO_CONFIGURE} AI_DEMO_PROVIDER=false turns the demo off.`,
      );
    else this.logger.log(`AI providers: ${names.join(', ')}`);
  }

  /** Before any module's shutdown hook, so the database is still open for the last rows. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.breakerSync.stop();
    await this.writer?.close();
  }
}

function resolveConfig(
  given: AiModuleOptions['config'],
  env: Record<string, string | undefined>,
): { config?: AiConfigFile; source?: string } {
  if (typeof given === 'object') return { config: given };
  if (typeof given === 'string')
    return { config: parseAiConfig(readFileSync(given, 'utf8'), given, env), source: given };
  const loaded = loadAiConfig(env);
  return { config: loaded.config, source: loaded.file };
}
