import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminKeyGuard } from '../auth/admin-key.guard.js';
import { ApiZodQuery, zodPipe } from '../http/zod-validation.js';
import { type LogsQuery, logsQuerySchema, logsQueryShape } from './usage-logs.schema.js';
import { UsageLogsService } from './usage-logs.service.js';
import { type SummaryQuery, summaryQuerySchema, summaryQueryShape } from './usage-summary.schema.js';
import { UsageSummaryService } from './usage-summary.service.js';

/** `/admin/usage`: what AI costs, summed or row by row (admin key only). */
@ApiTags('admin')
@ApiBearerAuth()
@Controller('admin/usage')
@UseGuards(AdminKeyGuard)
export class UsageController {
  constructor(
    private readonly summaries: UsageSummaryService,
    private readonly logs: UsageLogsService,
  ) {}

  @Get('summary')
  @ApiOperation({
    summary: 'Requests, failures, tokens and cost in a UTC range, per user, provider, model and/or day',
  })
  @ApiZodQuery(summaryQueryShape)
  summary(@Query(zodPipe(summaryQuerySchema)) query: SummaryQuery) {
    return this.summaries.summarize(query);
  }

  @Get('logs')
  @ApiOperation({ summary: 'Usage rows, newest first, one page at a time (pass nextCursor back as cursor)' })
  @ApiZodQuery(logsQueryShape)
  list(@Query(zodPipe(logsQuerySchema)) query: LogsQuery) {
    return this.logs.page(query);
  }
}
