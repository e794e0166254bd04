export { type Database, openDatabase } from './database.js';
export { type DatabaseConfig, databaseConfigFromEnv, describeDatabase } from './database-config.js';
export { Prisma, PrismaClient } from './generated/prisma/client.js';
export type * from './generated/prisma/models.js';
export { applyMigrationsIsolated } from './migrations/migrate-in-worker.js';
export {
  applyMigrations,
  createMigration,
  type MigrationSources,
  schemaDrift,
} from './migrations/migrator.js';
export { prismaDir } from './paths.js';
