import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Counter } from 'prom-client';
import { CLOCK, type Clock } from '../../clock/clock.js';
import type { Env } from '../../config/env.schema.js';
import { DatabaseService } from '../../database/database.service.js';
import { MetricsService } from '../../metrics/metrics.service.js';
import { retireUsageBatch } from './retire-usage-batch.js';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/** The first run waits this long after start, so it never slows the start itself. */
const FIRST_RUN_DELAY_MS = 30_000;
/** Rows per batch (per transaction): short enough that nothing waits on it for long. */
export const USAGE_RETENTION_BATCH = 5000;

/** Options of one run (tests choose a small batch). */
export interface UsageRetentionRunOptions {
  batchSize?: number;
}

/**
 * Deletes usage rows (AIUsageLog) older than USAGE_RETENTION_DAYS, shortly after start and
 * then hourly, in batches of their own transactions until none is left. Their sums stay in
 * AIUsageDaily and their cost in AIUsageRetired (what `total` budgets add). Replicas may
 * all run it: one batch at a time runs, a replica finding another's batch stops its run.
 */
@Injectable()
export class UsageRetentionService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('UsageRetention');
  private readonly retentionDays: number | undefined;
  private readonly retired: Counter;
  private firstRun?: NodeJS.Timeout;
  private hourly?: NodeJS.Timeout;
  /** The run in progress (runs in this process follow each other). */
  private running: Promise<unknown> = Promise.resolve();
  private closing = false;

  constructor(
    private readonly db: DatabaseService,
    config: ConfigService<Env, true>,
    metrics: MetricsService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.retentionDays = config.get('USAGE_RETENTION_DAYS', { infer: true });
    this.retired = new Counter({
      name: 'aigw_usage_rows_retired_total',
      help: 'Usage rows (AIUsageLog) deleted by USAGE_RETENTION_DAYS (their sums stay in AIUsageDaily)',
      registers: [metrics.registry],
    });
  }

  onApplicationBootstrap(): void {
    if (this.retentionDays === undefined) return;
    const run = () => {
      this.runOnce().catch((error: Error) =>
        this.logger.warn(`Deleting old usage rows failed: ${error.message}`),
      );
    };
    this.firstRun = setTimeout(run, FIRST_RUN_DELAY_MS);
    this.firstRun.unref();
    this.hourly = setInterval(run, HOUR_MS);
    this.hourly.unref();
  }

  /** Stops the schedule and waits for a run in progress; `runOnce` still works. */
  async stop(): Promise<void> {
    clearTimeout(this.firstRun);
    clearInterval(this.hourly);
    await this.running.catch(() => undefined);
  }

  async onModuleDestroy(): Promise<void> {
    this.closing = true;
    await this.stop();
  }

  /** Deletes every usage row older than the retention, batch by batch; gives how many (0 when unset). */
  runOnce(options: UsageRetentionRunOptions = {}): Promise<number> {
    const run = this.running.catch(() => undefined).then(() => this.retire(options.batchSize));
    this.running = run;
    return run;
  }

  private async retire(batchSize = USAGE_RETENTION_BATCH): Promise<number> {
    const days = this.retentionDays;
    if (days === undefined) return 0;
    if (this.db.migrations.status === 'pending') {
      this.logger.warn('Usage retention skipped: the database schema is not migrated yet');
      return 0;
    }
    const cutoff = new Date(this.clock() - days * DAY_MS);
    let deleted = 0;
    let busy = false;
    while (!this.closing) {
      const batch = await retireUsageBatch(this.db.prisma, cutoff, batchSize);
      if (batch === null) {
        busy = true;
        break;
      }
      deleted += batch;
      this.retired.inc(batch);
      if (batch < batchSize) break;
    }
    this.logger.log(
      `Usage retention: deleted ${deleted} usage rows older than ${cutoff.toISOString()} (USAGE_RETENTION_DAYS=${days})${
        busy ? '; another replica is deleting the rest' : ''
      }`,
    );
    return deleted;
  }
}
