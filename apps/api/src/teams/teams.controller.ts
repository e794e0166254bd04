import { Body, Controller, Delete, Get, Param, Patch, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { AdminKeyGuard } from '../auth/admin-key.guard.js';
import { ApiZodBody, zodPipe } from '../http/zod-validation.js';
import {
  addMembersSchema,
  type CreateTeamBody,
  createTeamSchema,
  memberParamsSchema,
  teamIdParamsSchema,
  type UpdateTeamBody,
  updateTeamSchema,
} from './teams.schemas.js';
import { TeamsService } from './teams.service.js';

/** `/admin/teams`: teams, their members, budgets, limits and alert webhooks (admin key only). */
@ApiTags('admin')
@ApiBearerAuth()
@Controller('admin/teams')
@UseGuards(AdminKeyGuard)
export class TeamsController {
  constructor(private readonly teams: TeamsService) {}

  @Post()
  @ApiOperation({ summary: 'Create a team (unique name) with its budgets, limits, allowlist and members' })
  @ApiZodBody(createTeamSchema)
  create(@Body(zodPipe(createTeamSchema)) body: CreateTeamBody) {
    return this.teams.create(body);
  }

  @Get()
  @ApiOperation({ summary: 'List teams by name, each with where its budgets stand' })
  async list() {
    return { data: await this.teams.list() };
  }

  @Get(':id')
  @ApiOperation({ summary: "A team: spend against each budget, members, this month's top users and models" })
  @ApiParam({ name: 'id', format: 'uuid' })
  get(@Param(zodPipe(teamIdParamsSchema)) params: { id: string }) {
    return this.teams.get(params.id);
  }

  @Patch(':id')
  @ApiOperation({ summary: "Change a team's name, budgets, limits, allowlist or webhook (null removes)" })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiZodBody(updateTeamSchema)
  update(
    @Param(zodPipe(teamIdParamsSchema)) params: { id: string },
    @Body(zodPipe(updateTeamSchema)) body: UpdateTeamBody,
  ) {
    return this.teams.update(params.id, body);
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Delete a team; its keys stay, with no team' })
  @ApiParam({ name: 'id', format: 'uuid' })
  delete(@Param(zodPipe(teamIdParamsSchema)) params: { id: string }) {
    return this.teams.delete(params.id);
  }

  @Get(':id/members')
  @ApiOperation({ summary: "A team's members" })
  @ApiParam({ name: 'id', format: 'uuid' })
  async members(@Param(zodPipe(teamIdParamsSchema)) params: { id: string }) {
    return { data: (await this.teams.get(params.id)).members };
  }

  @Post(':id/members')
  @ApiOperation({ summary: 'Add users to a team: { userId } or { userIds }' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiZodBody(addMembersSchema)
  addMembers(
    @Param(zodPipe(teamIdParamsSchema)) params: { id: string },
    @Body(zodPipe(addMembersSchema)) userIds: string[],
  ) {
    return this.teams.addMembers(params.id, userIds);
  }

  @Delete(':id/members/:userId')
  @ApiOperation({ summary: 'Remove a user from a team' })
  @ApiParam({ name: 'id', format: 'uuid' })
  removeMember(@Param(zodPipe(memberParamsSchema)) params: { id: string; userId: string }) {
    return this.teams.removeMember(params.id, params.userId);
  }
}
