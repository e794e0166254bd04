import { Body, Controller, Get, Param, Patch, Put, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminKeyGuard } from '../auth/admin-key.guard.js';
import { ApiZodBody, zodPipe } from '../http/zod-validation.js';
import { type UserBudgetsBody, userBudgetsSchema, userParamsSchema } from './users.schemas.js';
import { UsersService } from './users.service.js';

/** `/admin/users/:userId`: a user's budgets, where they stand, and the user's teams (admin key only). */
@ApiTags('admin')
@ApiBearerAuth()
@Controller('admin/users')
@UseGuards(AdminKeyGuard)
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get(':userId')
  @ApiOperation({ summary: "A user's budgets with spend this period, teams and key count" })
  get(@Param(zodPipe(userParamsSchema)) params: { userId: string }) {
    return this.users.get(params.userId);
  }

  @Put(':userId')
  @ApiOperation({ summary: "Set a user's budgets (every key of the user spends from them)" })
  @ApiZodBody(userBudgetsSchema)
  put(
    @Param(zodPipe(userParamsSchema)) params: { userId: string },
    @Body(zodPipe(userBudgetsSchema)) body: UserBudgetsBody,
  ) {
    return this.users.setBudgets(params.userId, body.budgets);
  }

  @Patch(':userId')
  @ApiOperation({ summary: "Set a user's budgets (as PUT)" })
  @ApiZodBody(userBudgetsSchema)
  patch(
    @Param(zodPipe(userParamsSchema)) params: { userId: string },
    @Body(zodPipe(userBudgetsSchema)) body: UserBudgetsBody,
  ) {
    return this.users.setBudgets(params.userId, body.budgets);
  }
}
