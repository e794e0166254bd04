import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { DatabaseService } from '../database/database.service.js';

/** `database` in /health: up when a query answers and the schema is migrated. */
@Injectable()
export class DatabaseHealthIndicator {
  constructor(
    private readonly health: HealthIndicatorService,
    private readonly database: DatabaseService,
  ) {}

  check(timeoutMs = 2000) {
    return this.health
      .check('database')
      .attempt(async () => {
        await this.database.prisma.$queryRawUnsafe('SELECT 1');
        const migrations = this.database.migrations;
        if (migrations.status === 'pending') {
          throw new Error(`migrations not applied yet: ${migrations.lastError}`);
        }
        return { kind: this.database.kind, migrations: migrations.status };
      })
      .withTimeout(timeoutMs);
  }
}
