import { Module } from '@nestjs/common';
import { BackgroundRuns } from './background-runs.js';
import { ResponseStore } from './response-store.js';
import { ResponsesController } from './responses.controller.js';

/** OpenAI's Responses API (`/v1/responses…`) and the responses it keeps. */
@Module({ controllers: [ResponsesController], providers: [ResponseStore, BackgroundRuns] })
export class ResponsesModule {}
