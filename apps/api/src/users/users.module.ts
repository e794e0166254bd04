import { Module } from '@nestjs/common';
import { UsersController } from './users.controller.js';
import { UsersService } from './users.service.js';

/** The admin API of users' budgets. */
@Module({ controllers: [UsersController], providers: [UsersService] })
export class UsersModule {}
