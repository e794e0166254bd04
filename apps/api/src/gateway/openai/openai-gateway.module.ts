import { Module } from '@nestjs/common';
import { ChatCompletionsController } from './chat-completions.controller.js';
import { EmbeddingsController } from './embeddings.controller.js';
import { ModelsController } from './models.controller.js';

/** The OpenAI-compatible routes. */
@Module({ controllers: [ChatCompletionsController, EmbeddingsController, ModelsController] })
export class OpenAIGatewayModule {}
