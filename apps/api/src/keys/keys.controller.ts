import { Body, Controller, Delete, Get, Param, Patch, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { AdminKeyGuard } from '../auth/admin-key.guard.js';
import { budgetRules } from '../budgets/budget.js';
import { BudgetStatusService } from '../budgets/budget-status.service.js';
import { ApiZodBody, zodPipe } from '../http/zod-validation.js';
import { ApiKeysService } from './api-keys.service.js';
import {
  type CreateKeyBody,
  createKeySchema,
  type KeyIdParams,
  keyIdParamsSchema,
  type ListKeysQuery,
  listKeysQuerySchema,
  type UpdateKeyBody,
  updateKeySchema,
} from './keys.schemas.js';

/** `/admin/keys`: issue, list and revoke virtual keys (admin key only). */
@ApiTags('admin')
@ApiBearerAuth()
@Controller('admin/keys')
@UseGuards(AdminKeyGuard)
export class KeysController {
  constructor(
    private readonly keys: ApiKeysService,
    private readonly budgets: BudgetStatusService,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Issue a virtual key for a user; the key is in this response only' })
  @ApiZodBody(createKeySchema)
  create(@Body(zodPipe(createKeySchema)) body: CreateKeyBody) {
    return this.keys.create(body);
  }

  @Get()
  @ApiOperation({
    summary:
      'List keys not revoked, newest first (never the key itself nor its hash); ?teamId, ?userId filter; ?includeRevoked=true lists revoked keys too',
  })
  async list(@Query(zodPipe(listKeysQuerySchema)) query: ListKeysQuery) {
    return { data: await this.keys.list(query) };
  }

  @Get(':id')
  @ApiOperation({ summary: 'One key, with where each of its budgets stands this period' })
  @ApiParam({ name: 'id', format: 'uuid' })
  async get(@Param(zodPipe(keyIdParamsSchema)) params: KeyIdParams) {
    const key = await this.keys.get(params.id);
    return { ...key, spend: await this.budgets.statuses(budgetRules('key', key.id, key.budgets)) };
  }

  @Patch(':id')
  @ApiOperation({
    summary: "Change a key's name, team, budgets or limits (null removes it); applies from its next request",
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiZodBody(updateKeySchema)
  update(
    @Param(zodPipe(keyIdParamsSchema)) params: KeyIdParams,
    @Body(zodPipe(updateKeySchema)) body: UpdateKeyBody,
  ) {
    return this.keys.update(params.id, body);
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Revoke a key at once; answers the revoked key' })
  @ApiParam({ name: 'id', format: 'uuid' })
  revoke(@Param(zodPipe(keyIdParamsSchema)) params: KeyIdParams) {
    return this.keys.revoke(params.id);
  }
}
