#!/usr/bin/env node
import { openDatabase } from '../database.js';
// `deploy`: apply committed migrations to DATABASE_URL (or the PGlite folder).
// `new <name>`: write a migration for what schema.prisma adds. `check`: exit 1 on drift.
import { databaseConfigFromEnv, describeDatabase } from '../database-config.js';
import { applyMigrations, createMigration, schemaDrift } from '../migrations/migrator.js';

async function main(command: string | undefined, args: string[]): Promise<number> {
  switch (command) {
    case 'deploy': {
      const config = databaseConfigFromEnv();
      const db = await openDatabase(config);
      try {
        const applied = await applyMigrations(db);
        console.log(
          applied.length
            ? `Applied ${applied.length} migration(s) to ${describeDatabase(config)}:\n  ${applied.join('\n  ')}`
            : `${describeDatabase(config)} is up to date.`,
        );
      } finally {
        await db.close();
      }
      return 0;
    }
    case 'new': {
      const name = args[0];
      if (!name) {
        console.error('Usage: pnpm db:migrate:new <name>   (letters, digits, underscores)');
        return 2;
      }
      const folder = await createMigration(name);
      console.log(
        folder ? `Wrote ${folder}/migration.sql` : 'schema.prisma matches the migrations: nothing to write.',
      );
      return 0;
    }
    case 'check': {
      const drift = await schemaDrift();
      if (drift === null) {
        console.log('schema.prisma and prisma/migrations agree.');
        return 0;
      }
      console.error(
        `schema.prisma differs from prisma/migrations. Run \`pnpm db:migrate:new <name>\`. Missing SQL:\n${drift}`,
      );
      return 1;
    }
    default:
      console.error('Usage: migrate deploy | new <name> | check');
      return 2;
  }
}

main(process.argv[2], process.argv.slice(3)).then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(error.message);
    process.exit(1);
  },
);
