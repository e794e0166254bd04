import { AiService, type MediaKind } from '@aigw/ai';
import { Body, Controller, HttpCode, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { Env } from '../../config/env.schema.js';
import type { SseOptions } from '../../http/sse.js';
import { ApiZodBody, zodPipe } from '../../http/zod-validation.js';
import type { Caller } from '../../keys/caller.js';
import { CallerOf, VirtualKeyGuard } from '../../keys/virtual-key.guard.js';
import { callMedia, fieldsOf } from './call-media.js';
import { imageRequestSchema, speechRequestSchema } from './media.schemas.js';

const validateImage = zodPipe(imageRequestSchema);
const validateSpeech = zodPipe(speechRequestSchema);

/**
 * The JSON media routes in OpenAI's format: `POST /v1/images/generations` (to any model that
 * makes images) and `POST /v1/audio/speech` (the audio streamed back as the provider sends it).
 */
@ApiTags('openai')
@ApiBearerAuth()
@Controller('v1')
@UseGuards(VirtualKeyGuard)
export class MediaController {
  private readonly sse: SseOptions;

  constructor(
    private readonly ai: AiService,
    config: ConfigService<Env, true>,
  ) {
    this.sse = { stallTimeoutMs: config.get('STREAM_STALL_TIMEOUT_MS', { infer: true }) };
  }

  @Post('images/generations')
  @HttpCode(200)
  @ApiOperation({ summary: 'Create images (OpenAI format; b64_json or url, n, size, quality)' })
  @ApiZodBody(imageRequestSchema)
  generate(
    @Body() input: unknown,
    @CallerOf() caller: Caller,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    return this.call(
      'image',
      validateImage.transform(input, { type: 'body' }),
      input,
      caller,
      request,
      reply,
    );
  }

  @Post('audio/speech')
  @HttpCode(200)
  @ApiOperation({ summary: 'Text to speech (OpenAI format): the audio bytes, streamed' })
  @ApiZodBody(speechRequestSchema)
  speak(
    @Body() input: unknown,
    @CallerOf() caller: Caller,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    return this.call(
      'speech',
      validateSpeech.transform(input, { type: 'body' }),
      input,
      caller,
      request,
      reply,
    );
  }

  /** The body as sent goes to the provider; the validated one only names the model. */
  private call(
    kind: MediaKind,
    valid: z.infer<typeof imageRequestSchema> | z.infer<typeof speechRequestSchema>,
    input: unknown,
    caller: Caller,
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<void> {
    return callMedia(
      this.ai,
      { kind, model: valid.model, fields: fieldsOf(input) },
      caller,
      request,
      reply,
      this.sse,
    );
  }
}
