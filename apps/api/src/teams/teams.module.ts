import { Module } from '@nestjs/common';
import { TeamsController } from './teams.controller.js';
import { TeamsService } from './teams.service.js';

/** The admin API of teams. */
@Module({ controllers: [TeamsController], providers: [TeamsService] })
export class TeamsModule {}
