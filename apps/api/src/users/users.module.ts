import { Module } from '@nestjs/common';
import { BudgetStatusService } from '../budgets/budget-status.service.js';
import { UsersController } from './users.controller.js';
import { UsersService } from './users.service.js';

/** The admin API of users' budgets. */
@Module({ controllers: [UsersController], providers: [UsersService, BudgetStatusService] })
export class UsersModule {}
