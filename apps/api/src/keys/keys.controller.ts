import { Body, Controller, Delete, Get, Param, Patch, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { AdminKeyGuard } from '../auth/admin-key.guard.js';
import { ApiZodBody, zodPipe } from '../http/zod-validation.js';
import { ApiKeysService } from './api-keys.service.js';
import {
  type CreateKeyBody,
  createKeySchema,
  type KeyIdParams,
  keyIdParamsSchema,
  type UpdateKeyBody,
  updateKeySchema,
} from './keys.schemas.js';

/** `/admin/keys`: issue, list and revoke virtual keys (admin key only). */
@ApiTags('admin')
@ApiBearerAuth()
@Controller('admin/keys')
@UseGuards(AdminKeyGuard)
export class KeysController {
  constructor(private readonly keys: ApiKeysService) {}

  @Post()
  @ApiOperation({ summary: 'Issue a virtual key for a user; the key is in this response only' })
  @ApiZodBody(createKeySchema)
  create(@Body(zodPipe(createKeySchema)) body: CreateKeyBody) {
    return this.keys.create({
      userId: body.userId,
      name: body.name ?? undefined,
      budgetUsd: body.budgetUsd ?? undefined,
      rpmLimit: body.rpmLimit ?? undefined,
    });
  }

  @Get()
  @ApiOperation({ summary: 'List every key, newest first (never the key itself nor its hash)' })
  async list() {
    return { data: await this.keys.list() };
  }

  @Patch(':id')
  @ApiOperation({
    summary: "Change a key's name, budgetUsd or rpmLimit (null removes it); applies from its next request",
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
