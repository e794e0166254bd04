import { AiService, type ChatStreamPart, prepend, primeStream, stopStream } from '@aigw/ai';
import { Body, Controller, HttpCode, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Env } from '../../config/env.schema.js';
import { abortWhenClientGone } from '../../http/client-gone.js';
import { setServedBy } from '../../http/served-by.js';
import { type SseOptions, sendSse } from '../../http/sse.js';
import { ApiZodBody, zodPipe } from '../../http/zod-validation.js';
import type { Caller } from '../../keys/api-keys.service.js';
import { CallerOf, VirtualKeyGuard } from '../../keys/virtual-key.guard.js';
import { type ChatCompletionRequest, chatCompletionRequestSchema } from './chat-completions.schemas.js';
import { convertOpenAIRequest } from './convert-openai-request.js';
import { toOpenAIChunks } from './to-openai-chunks.js';
import { toOpenAICompletion } from './to-openai-completion.js';

/** `POST /v1/chat/completions`: OpenAI's Chat Completions format, any provider behind it. */
@ApiTags('openai')
@ApiBearerAuth()
@Controller('v1')
@UseGuards(VirtualKeyGuard)
export class ChatCompletionsController {
  private readonly sse: SseOptions;

  constructor(
    private readonly ai: AiService,
    config: ConfigService<Env, true>,
  ) {
    this.sse = { stallTimeoutMs: config.get('STREAM_STALL_TIMEOUT_MS', { infer: true }) };
  }

  @Post('chat/completions')
  @HttpCode(200)
  @ApiOperation({ summary: 'Create a chat completion (OpenAI format; streaming with stream: true)' })
  @ApiZodBody(chatCompletionRequestSchema)
  async create(
    @Body(zodPipe(chatCompletionRequestSchema)) body: ChatCompletionRequest,
    @CallerOf() caller: Caller,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const context = {
      userId: caller.userId,
      apiKeyId: caller.apiKeyId,
      requestId: String(request.id),
      limits: { budgetUsd: caller.budgetUsd, rpmLimit: caller.rpmLimit },
    };
    const id = `chatcmpl-${String(request.id).replace(/-/g, '')}`;
    // The client going away aborts the upstream call; its usage row records the cut.
    const gone = abortWhenClientGone(reply);
    try {
      if (!body.stream) {
        const result = await this.ai.chat(convertOpenAIRequest(body, gone.signal), context);
        // Sent here, not returned: with a streaming branch the reply is ours, not Nest's.
        setServedBy(reply, { provider: result.provider, model: result.model });
        reply.send(toOpenAICompletion(result, id));
        return;
      }
      const { first, rest } = await primeStream<ChatStreamPart>(
        this.ai.stream(convertOpenAIRequest(body, gone.signal), context),
      );
      try {
        if (first?.type === 'start') setServedBy(reply, { provider: first.provider, model: first.model });
        const chunks = toOpenAIChunks(prepend(first, rest), {
          id,
          model: body.model,
          includeUsage: body.stream_options?.include_usage === true,
        });
        await sendSse(request, reply, chunks, this.sse);
      } catch (error) {
        // Failed before sending could read it: the call still ends, and records its row.
        await stopStream(rest);
        throw error;
      }
    } finally {
      gone.release();
    }
  }
}
