import { Module } from '@nestjs/common';
import { UsageController } from './usage.controller.js';
import { UsageLogsService } from './usage-logs.service.js';
import { UsageSummaryService } from './usage-summary.service.js';

/** The admin usage API: summaries and the usage log. */
@Module({
  controllers: [UsageController],
  providers: [UsageSummaryService, UsageLogsService],
  exports: [UsageSummaryService, UsageLogsService],
})
export class UsageModule {}
