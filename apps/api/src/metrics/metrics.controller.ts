import { Controller, Get, Res, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { MetricsService } from './metrics.service.js';
import { MetricsTokenGuard } from './metrics-token.guard.js';

/** `GET /metrics`: Prometheus text exposition of the app's registry. */
@ApiTags('ops')
@Controller('metrics')
@UseGuards(MetricsTokenGuard)
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Get()
  @ApiOperation({
    summary:
      'Prometheus metrics (text format); needs `Authorization: Bearer <METRICS_TOKEN>` when that is set',
  })
  @ApiBearerAuth()
  @ApiOkResponse({
    description: 'Prometheus text exposition format 0.0.4',
    content: { 'text/plain; version=0.0.4; charset=utf-8': { schema: { type: 'string' } } },
  })
  @ApiUnauthorizedResponse({ description: 'METRICS_TOKEN is set and the request does not carry it' })
  async scrape(@Res() reply: FastifyReply): Promise<void> {
    const body = await this.metrics.metrics();
    reply.header('content-type', this.metrics.contentType).header('cache-control', 'no-store').send(body);
  }
}
