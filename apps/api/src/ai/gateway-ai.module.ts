import { AiModule } from '@aigw/ai';
import { type DynamicModule, Module } from '@nestjs/common';
import { DatabaseService } from '../database/database.service.js';

/** The provider layer, recording usage through the app's database. */
@Module({})
export class GatewayAiModule {
  static forRoot(env: Record<string, string | undefined>, spoolDir: string): DynamicModule {
    return {
      module: GatewayAiModule,
      imports: [
        AiModule.forRootAsync({
          isGlobal: true,
          inject: [DatabaseService],
          useFactory: (database: DatabaseService) => ({ env, prisma: database.prisma, spoolDir }),
        }),
      ],
    };
  }
}
