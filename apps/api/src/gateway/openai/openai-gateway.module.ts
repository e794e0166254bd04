import { Module } from '@nestjs/common';
import { AudioController } from '../media/audio.controller.js';
import { MediaController } from '../media/media.controller.js';
import { ChatCompletionsController } from './chat-completions.controller.js';
import { EmbeddingsController } from './embeddings.controller.js';
import { ModelsController } from './models.controller.js';

/** The OpenAI-compatible routes: chat, embeddings, models, images and audio. */
@Module({
  controllers: [
    ChatCompletionsController,
    EmbeddingsController,
    ModelsController,
    MediaController,
    AudioController,
  ],
})
export class OpenAIGatewayModule {}
