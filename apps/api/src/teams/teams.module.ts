import { Module } from '@nestjs/common';
import { BudgetStatusService } from '../budgets/budget-status.service.js';
import { TeamsController } from './teams.controller.js';
import { TeamsService } from './teams.service.js';

/** The admin API of teams. */
@Module({ controllers: [TeamsController], providers: [TeamsService, BudgetStatusService] })
export class TeamsModule {}
