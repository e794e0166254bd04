import { AiService, type CallContext, type ChatStreamPart, prepend, primeStream, stopStream } from '@aigw/ai';
import { Body, Controller, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ApiBearerAuth, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Env } from '../../config/env.schema.js';
import { abortWhenClientGone } from '../../http/client-gone.js';
import { setServedBy } from '../../http/served-by.js';
import { type SseOptions, sendSse } from '../../http/sse.js';
import { ApiZodBody, zodPipe } from '../../http/zod-validation.js';
import type { Caller } from '../../keys/api-keys.service.js';
import { CallerOf, VirtualKeyGuard } from '../../keys/virtual-key.guard.js';
import { convertAnthropicRequest } from './convert-anthropic-request.js';
import { type MessagesRequest, messagesRequestSchema } from './messages.schemas.js';
import { toAnthropicEvents } from './to-anthropic-events.js';
import { toAnthropicMessage } from './to-anthropic-message.js';

/** `POST /v1/messages`: Anthropic's Messages format, any provider behind it. */
@ApiTags('anthropic')
@ApiBearerAuth()
@ApiSecurity('x-api-key')
@Controller('v1')
@UseGuards(VirtualKeyGuard)
export class MessagesController {
  private readonly sse: SseOptions;

  constructor(
    private readonly ai: AiService,
    config: ConfigService<Env, true>,
  ) {
    this.sse = { stallTimeoutMs: config.get('STREAM_STALL_TIMEOUT_MS', { infer: true }) };
  }

  @Post('messages')
  @ApiOperation({
    summary: 'Create a message (Anthropic Messages format; streaming with stream: true)',
    description:
      'Served by whichever provider the model names. Settings that cannot be passed on are listed in the x-aigw-warnings header.',
  })
  @ApiZodBody(messagesRequestSchema)
  async create(
    @Body(zodPipe(messagesRequestSchema)) body: MessagesRequest,
    @CallerOf() caller: Caller,
    @Req() request: FastifyRequest,
    // Not passthrough: a stream hijacks the reply, and Nest must not send it again.
    @Res() reply: FastifyReply,
  ): Promise<void> {
    // The client going away aborts the upstream call; its usage row records the cut.
    const gone = abortWhenClientGone(reply);
    try {
      const { request: chat, warnings, endUserId } = convertAnthropicRequest(body, gone.signal);
      const context: Partial<CallContext> = {
        userId: caller.userId,
        apiKeyId: caller.apiKeyId,
        requestId: String(request.id),
        limits: { budgetUsd: caller.budgetUsd, rpmLimit: caller.rpmLimit },
        ...(warnings.length || endUserId
          ? { metadata: { ...(warnings.length ? { warnings } : {}), ...(endUserId ? { endUserId } : {}) } }
          : {}),
      };
      const id = `msg_${String(request.id).replace(/-/g, '')}`;
      if (!body.stream) {
        const result = await this.ai.chat(chat, context);
        setServedBy(reply, {
          provider: result.provider,
          model: result.model,
          warnings: [...warnings, ...result.warnings],
        });
        reply.status(200).send(toAnthropicMessage(result, { id, model: body.model }));
        return;
      }
      // Failures before the first byte (unknown model, upstream 4xx/5xx) keep their status.
      const { first, rest } = await primeStream<ChatStreamPart>(this.ai.stream(chat, context));
      try {
        if (first?.type === 'start') {
          setServedBy(reply, {
            provider: first.provider,
            model: first.model,
            warnings: [...warnings, ...(first.warnings ?? [])],
          });
        }
        await sendSse(
          request,
          reply,
          toAnthropicEvents(prepend(first, rest), { id, model: body.model }),
          this.sse,
        );
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
