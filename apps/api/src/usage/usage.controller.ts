import { Controller, Get, Inject, Query, Res, UseGuards, UseInterceptors } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { AdminKeyGuard } from '../auth/admin-key.guard.js';
import { CLOCK, type Clock } from '../clock/clock.js';
import type { Env } from '../config/env.schema.js';
import { ApiZodQuery, zodPipe } from '../http/zod-validation.js';
import { checkRetainedEdges } from './retention/retained-edges.js';
import { summaryCsvFileName, summaryToCsv } from './summary-csv.js';
import { type LogsQuery, logsQuerySchema, logsQueryShape } from './usage-logs.schema.js';
import { UsageLogsService } from './usage-logs.service.js';
import { type ProvidersQuery, providersQuerySchema, providersQueryShape } from './usage-providers.schema.js';
import { UsageProvidersService } from './usage-providers.service.js';
import { UsageSummaryService } from './usage-summary.service.js';
import { type SummaryRequest, summaryRequestPipe, summaryRequestShape } from './usage-summary-request.js';
import { type UsersQuery, usersQuerySchema, usersQueryShape } from './usage-users.schema.js';
import { UsageUsersService } from './usage-users.service.js';
import { WrittenUsageFirst } from './written-usage-first.interceptor.js';

/** `/admin/usage`: what AI costs, summed or row by row (admin key only), with this process's calls written first. */
@ApiTags('admin')
@ApiBearerAuth()
@Controller('admin/usage')
@UseGuards(AdminKeyGuard)
@UseInterceptors(WrittenUsageFirst)
export class UsageController {
  private readonly retentionDays: number | undefined;

  constructor(
    private readonly summaries: UsageSummaryService,
    private readonly logs: UsageLogsService,
    private readonly providers: UsageProvidersService,
    private readonly users: UsageUsersService,
    @Inject(CLOCK) private readonly clock: Clock,
    config: ConfigService<Env, true>,
  ) {
    this.retentionDays = config.get('USAGE_RETENTION_DAYS', { infer: true });
  }

  @Get('summary')
  @ApiOperation({
    summary: 'Requests, failures, tokens and cost in a UTC range, per team, user, provider, model and/or day',
  })
  @ApiZodQuery(summaryRequestShape)
  @ApiProduces('application/json', 'text/csv')
  async summary(
    @Query(summaryRequestPipe) request: SummaryRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    checkRetainedEdges(request.query, this.retentionDays, this.clock());
    if (request.format === 'json') {
      reply.header('content-type', 'application/json; charset=utf-8');
      return this.summaries.summaryJson(request.query);
    }
    const summary = await this.summaries.summarize(request.query);
    reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${summaryCsvFileName(summary)}"`);
    return summaryToCsv(summary);
  }

  @Get('logs')
  @ApiOperation({ summary: 'Usage rows, newest first, one page at a time (pass nextCursor back as cursor)' })
  @ApiZodQuery(logsQueryShape)
  list(@Query(zodPipe(logsQuerySchema)) query: LogsQuery) {
    return this.logs.page(query);
  }

  @Get('providers')
  @ApiOperation({
    summary:
      'Per provider in a UTC range: requests, failure rate, p50/p95 latency and time to first token, and its circuit breaker now',
  })
  @ApiZodQuery(providersQueryShape)
  providerReliability(@Query(zodPipe(providersQuerySchema)) query: ProvidersQuery) {
    return this.providers.reliability(query);
  }

  @Get('users')
  @ApiOperation({
    summary:
      "The users who cost the most in a UTC range (the summary's per-user rows), with their keys' budget use",
  })
  @ApiZodQuery(usersQueryShape)
  topUsers(@Query(zodPipe(usersQuerySchema)) query: UsersQuery) {
    return this.users.top(query);
  }
}
