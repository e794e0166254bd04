import {
  applyMigrationsIsolated,
  type Database,
  type DatabaseConfig,
  describeDatabase,
  openDatabase,
} from '@aigw/db';
import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';

/** Where the schema stands: applied, waiting for the database, or left to an operator. */
export type MigrationState =
  | { status: 'applied'; appliedThisRun: string[] }
  | { status: 'pending'; lastError: string }
  | { status: 'skipped' };

/** Options of the database layer. */
export interface DatabaseOptions {
  config: DatabaseConfig;
  migrateOnStart: boolean;
  /** Delay between attempts to migrate while the database is unreachable. */
  migrateRetryMs?: number;
}

/**
 * Owns the database for the app's lifetime: opens it, applies pending migrations at
 * start (retrying in the background while the database is unreachable, so the service
 * starts and reports itself unhealthy instead of crashing), and closes it on shutdown.
 */
@Injectable()
export class DatabaseService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(DatabaseService.name);
  private retryTimer?: NodeJS.Timeout;
  private migrating?: Promise<void>;
  private state: MigrationState;

  constructor(
    readonly db: Database,
    private readonly options: DatabaseOptions,
  ) {
    this.state = options.migrateOnStart
      ? { status: 'pending', lastError: 'not tried yet' }
      : { status: 'skipped' };
  }

  get prisma() {
    return this.db.prisma;
  }

  get kind() {
    return this.db.kind;
  }

  get migrations(): MigrationState {
    return this.state;
  }

  async onModuleInit(): Promise<void> {
    this.logger.log(`Database: ${describeDatabase(this.options.config)}`);
    if (this.options.migrateOnStart) await this.migrate();
  }

  private migrate(): Promise<void> {
    this.migrating ??= applyMigrationsIsolated(this.db, this.options.config)
      .then(
        (applied) => {
          this.state = { status: 'applied', appliedThisRun: applied };
          this.logger.log(
            applied.length ? `Applied migrations: ${applied.join(', ')}` : 'Database schema is up to date',
          );
        },
        (error: Error) => {
          this.state = { status: 'pending', lastError: error.message.split('\n')[0] ?? 'unknown error' };
          const retryMs = this.options.migrateRetryMs ?? 5000;
          this.logger.error(
            `Cannot migrate the database yet (retrying in ${retryMs} ms): ${this.state.lastError}`,
          );
          this.retryTimer = setTimeout(() => void this.migrate(), retryMs);
          this.retryTimer.unref();
        },
      )
      .finally(() => {
        this.migrating = undefined;
      });
    return this.migrating;
  }

  async onApplicationShutdown(): Promise<void> {
    clearTimeout(this.retryTimer);
    await this.migrating;
    await this.db.close();
    this.logger.log('Database closed');
  }
}

/** Opens the database; the service takes it over. */
export async function createDatabaseService(options: DatabaseOptions): Promise<DatabaseService> {
  return new DatabaseService(await openDatabase(options.config), options);
}
