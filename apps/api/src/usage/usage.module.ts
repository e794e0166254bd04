import { Module } from '@nestjs/common';
import { UsageRetentionService } from './retention/usage-retention.service.js';
import { UsageController } from './usage.controller.js';
import { UsageLogsService } from './usage-logs.service.js';
import { UsageProvidersService } from './usage-providers.service.js';
import { UsageSummaryService } from './usage-summary.service.js';
import { UsageUsersService } from './usage-users.service.js';

/** The admin usage API (summaries, the usage log, provider reliability, top users) and usage retention. */
@Module({
  controllers: [UsageController],
  providers: [
    UsageSummaryService,
    UsageLogsService,
    UsageProvidersService,
    UsageUsersService,
    UsageRetentionService,
  ],
  exports: [UsageSummaryService, UsageLogsService],
})
export class UsageModule {}
