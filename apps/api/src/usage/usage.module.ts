import { Module } from '@nestjs/common';
import { UsageController } from './usage.controller.js';
import { UsageLogsService } from './usage-logs.service.js';
import { UsageProvidersService } from './usage-providers.service.js';
import { UsageSummaryService } from './usage-summary.service.js';
import { UsageUsersService } from './usage-users.service.js';

/** The admin usage API: summaries, the usage log, provider reliability and top users. */
@Module({
  controllers: [UsageController],
  providers: [UsageSummaryService, UsageLogsService, UsageProvidersService, UsageUsersService],
  exports: [UsageSummaryService, UsageLogsService],
})
export class UsageModule {}
