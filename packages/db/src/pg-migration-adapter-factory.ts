import { PrismaPg } from '@prisma/adapter-pg';
import {
  DriverAdapterError,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import pg from 'pg';

/**
 * `@prisma/adapter-pg` for the migration engine, with one fix: its `executeScript` splits a
 * migration at every `;` and runs the pieces one by one, which breaks any statement with a
 * `;` inside (a PL/pgSQL function body, a string) and leaves a failed migration half
 * applied. Here the script goes to the server whole, as `prisma migrate deploy` sends it:
 * one simple query, which PostgreSQL runs in one implicit transaction.
 */
export class PgMigrationAdapterFactory implements SqlMigrationAwareDriverAdapterFactory {
  readonly provider = 'postgres' as const;
  readonly adapterName: string;
  private readonly inner: PrismaPg;

  constructor(pool: pg.Pool) {
    this.inner = new PrismaPg(pool);
    this.adapterName = this.inner.adapterName;
  }

  async connect(): Promise<SqlDriverAdapter> {
    return wholeScripts(await this.inner.connect());
  }

  async connectToShadowDb(): Promise<SqlDriverAdapter> {
    return wholeScripts(await this.inner.connectToShadowDb());
  }
}

function wholeScripts(adapter: SqlDriverAdapter): SqlDriverAdapter {
  // The adapter's pool (its `underlyingDriver`, left out of the interface's type).
  const client = (adapter as SqlDriverAdapter & { underlyingDriver(): pg.Pool }).underlyingDriver();
  adapter.executeScript = async (script: string) => {
    try {
      await client.query(script);
    } catch (error) {
      // The adapter's own error shape for a server error, so the engine reports it the same way.
      if (error instanceof pg.DatabaseError) {
        throw new DriverAdapterError({
          kind: 'postgres',
          code: error.code ?? 'N/A',
          severity: error.severity ?? 'N/A',
          message: error.message,
          detail: error.detail,
          column: error.column,
          hint: error.hint,
        });
      }
      throw error;
    }
  };
  return adapter;
}
