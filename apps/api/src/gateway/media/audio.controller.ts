import { AiService, type MediaKind } from '@aigw/ai';
import { Controller, HttpCode, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiBearerAuth, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Env } from '../../config/env.schema.js';
import { TAKES_UPLOADS } from '../../http/multipart-uploads.js';
import type { SseOptions } from '../../http/sse.js';
import { RequestValidationError, zodPipe } from '../../http/zod-validation.js';
import type { Caller } from '../../keys/caller.js';
import { CallerOf, VirtualKeyGuard } from '../../keys/virtual-key.guard.js';
import { readAudioForm } from './audio-form.js';
import { callMedia } from './call-media.js';
import { audioFieldsSchema } from './media.schemas.js';

const validate = zodPipe(audioFieldsSchema);

/**
 * `POST /v1/audio/transcriptions` and `/translations` in OpenAI's format: multipart uploads,
 * taken on these routes only (`TAKES_UPLOADS`; a 415 elsewhere).
 */
@ApiTags('openai')
@ApiBearerAuth()
@Controller('v1')
@UseGuards(VirtualKeyGuard)
export class AudioController {
  private readonly sse: SseOptions;
  private readonly limitBytes: number;

  constructor(
    private readonly ai: AiService,
    config: ConfigService<Env, true>,
  ) {
    this.sse = { stallTimeoutMs: config.get('STREAM_STALL_TIMEOUT_MS', { infer: true }) };
    this.limitBytes = config.get('AUDIO_UPLOAD_LIMIT_BYTES', { infer: true });
  }

  @Post('audio/transcriptions')
  @RouteConfig(TAKES_UPLOADS)
  @HttpCode(200)
  @ApiConsumes('multipart/form-data')
  @ApiOperation({ summary: 'Transcribe audio (OpenAI format; json, text, srt, verbose_json, vtt; stream)' })
  transcribe(@CallerOf() caller: Caller, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.audio('transcription', caller, request, reply);
  }

  @Post('audio/translations')
  @RouteConfig(TAKES_UPLOADS)
  @HttpCode(200)
  @ApiConsumes('multipart/form-data')
  @ApiOperation({ summary: 'Translate audio into English text (OpenAI format)' })
  translate(@CallerOf() caller: Caller, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.audio('translation', caller, request, reply);
  }

  private async audio(kind: MediaKind, caller: Caller, request: FastifyRequest, reply: FastifyReply) {
    const form = await readAudioForm(request, this.limitBytes);
    let model: string;
    try {
      if (!form.file) {
        const missing = ['file: is required: the audio (flac, mp3, mp4, mpeg, mpga, m4a, ogg, wav or webm)'];
        if (typeof form.fields.model !== 'string') missing.push('model: is required');
        throw new RequestValidationError(missing);
      }
      model = validate.transform(form.fields, { type: 'body' }).model;
    } catch (error) {
      await form.remove();
      throw error;
    }
    const { model: _model, ...fields } = form.fields;
    await callMedia(
      this.ai,
      { kind, model, fields, file: form.file },
      caller,
      request,
      reply,
      this.sse,
      form.remove,
    );
  }
}
