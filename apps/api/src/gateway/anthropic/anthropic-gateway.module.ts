import { Module } from '@nestjs/common';
import { MessagesController } from './messages.controller.js';

/** The Anthropic-compatible route, `POST /v1/messages`. */
@Module({ controllers: [MessagesController] })
export class AnthropicGatewayModule {}
