import { Module } from '@nestjs/common';
import { CountTokensController } from './count-tokens.controller.js';
import { MessagesController } from './messages.controller.js';

/** The Anthropic-compatible routes, `POST /v1/messages` and `POST /v1/messages/count_tokens`. */
@Module({ controllers: [MessagesController, CountTokensController] })
export class AnthropicGatewayModule {}
