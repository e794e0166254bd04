import { Module } from '@nestjs/common';
import { BackgroundResponses } from './background-responses.js';
import { ResponseStore } from './response-store.js';
import { ResponsesController } from './responses.controller.js';

/** OpenAI's Responses API (`/v1/responses…`) and the responses it keeps. */
@Module({ controllers: [ResponsesController], providers: [ResponseStore, BackgroundResponses] })
export class ResponsesModule {}
