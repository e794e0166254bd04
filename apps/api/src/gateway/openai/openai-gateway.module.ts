import { Module } from '@nestjs/common';
import { AudioController } from '../media/audio.controller.js';
import { ImagesController } from '../media/images.controller.js';
import { SpeechController } from '../media/speech.controller.js';
import { ChatCompletionsController } from './chat-completions.controller.js';
import { EmbeddingsController } from './embeddings.controller.js';
import { ModelsController } from './models.controller.js';

/** The OpenAI-compatible routes: chat, embeddings, models, images and audio. */
@Module({
  controllers: [
    ChatCompletionsController,
    EmbeddingsController,
    ModelsController,
    ImagesController,
    AudioController,
    SpeechController,
  ],
})
export class OpenAIGatewayModule {}
