import { AiService } from '@aigw/ai';
import { Body, Controller, HttpCode, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Env } from '../../config/env.schema.js';
import type { SseOptions } from '../../http/sse.js';
import { ApiZodBody, zodPipe } from '../../http/zod-validation.js';
import type { Caller } from '../../keys/caller.js';
import { CallerOf, VirtualKeyGuard } from '../../keys/virtual-key.guard.js';
import { callMedia, fieldsOf } from './call-media.js';
import { speechRequestSchema } from './media.schemas.js';

const validate = zodPipe(speechRequestSchema);

/** `POST /v1/audio/speech` in OpenAI's format: the audio streamed back as the provider sends it. */
@ApiTags('openai')
@ApiBearerAuth()
@Controller('v1')
@UseGuards(VirtualKeyGuard)
export class SpeechController {
  private readonly sse: SseOptions;

  constructor(
    private readonly ai: AiService,
    config: ConfigService<Env, true>,
  ) {
    this.sse = { stallTimeoutMs: config.get('STREAM_STALL_TIMEOUT_MS', { infer: true }) };
  }

  @Post('audio/speech')
  @HttpCode(200)
  @ApiOperation({ summary: 'Text to speech (OpenAI format): the audio bytes, streamed' })
  @ApiZodBody(speechRequestSchema)
  async speak(
    @Body() input: unknown,
    @CallerOf() caller: Caller,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const body = validate.transform(input, { type: 'body' });
    await callMedia(
      this.ai,
      { kind: 'speech', model: body.model, fields: fieldsOf(input) },
      caller,
      request,
      reply,
      this.sse,
    );
  }
}
