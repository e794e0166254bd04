import { type DynamicModule, Global, Module } from '@nestjs/common';
import { createDatabaseService, type DatabaseOptions, DatabaseService } from './database.service.js';

/** Provides DatabaseService (and through it the Prisma client) to the whole app. */
@Global()
@Module({})
export class DatabaseModule {
  static forRoot(options: DatabaseOptions): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [{ provide: DatabaseService, useFactory: () => createDatabaseService(options) }],
      exports: [DatabaseService],
    };
  }
}
