import { AiService, type EmbedResult } from '@aigw/ai';
import { Body, Controller, HttpCode, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { abortWhenClientGone } from '../../http/client-gone.js';
import { setServedBy } from '../../http/served-by.js';
import { ApiZodBody, zodPipe } from '../../http/zod-validation.js';
import type { Caller } from '../../keys/caller.js';
import { CallerOf, VirtualKeyGuard } from '../../keys/virtual-key.guard.js';
import { callerContext } from '../wire/caller-context.js';
import { type EmbeddingRequest, embeddingRequestSchema } from './chat-completions.schemas.js';

/** `POST /v1/embeddings` in OpenAI's format. */
@ApiTags('openai')
@ApiBearerAuth()
@Controller('v1')
@UseGuards(VirtualKeyGuard)
export class EmbeddingsController {
  constructor(private readonly ai: AiService) {}

  @Post('embeddings')
  @HttpCode(200)
  @ApiOperation({ summary: 'Create embeddings (OpenAI format)' })
  @ApiZodBody(embeddingRequestSchema)
  async create(
    @Body(zodPipe(embeddingRequestSchema)) body: EmbeddingRequest,
    @CallerOf() caller: Caller,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    // The client going away aborts the upstream call; its usage row records the cut.
    const gone = abortWhenClientGone(reply);
    let result: EmbedResult;
    try {
      result = await this.ai.embed(
        {
          model: body.model,
          input: typeof body.input === 'string' ? [body.input] : body.input,
          ...(body.dimensions !== undefined ? { dimensions: body.dimensions } : {}),
          signal: gone.signal,
        },
        callerContext(caller, request),
      );
    } finally {
      gone.release();
    }
    setServedBy(reply, { provider: result.provider, model: result.model });
    const prompt = result.usage.inputTokens.total ?? 0;
    return {
      object: 'list' as const,
      data: result.embeddings.map((vector, index) => ({
        object: 'embedding' as const,
        index,
        embedding:
          body.encoding_format === 'base64'
            ? Buffer.from(new Float32Array(vector).buffer).toString('base64')
            : vector,
      })),
      model: result.model,
      usage: { prompt_tokens: prompt, total_tokens: prompt },
    };
  }
}
