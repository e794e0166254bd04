import {
  AiService,
  type AiWireRequest,
  type CallContext,
  type ChatStreamPart,
  prepend,
  primeStream,
  stopStream,
} from '@aigw/ai';
import { Body, Controller, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ApiBearerAuth, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Env } from '../../config/env.schema.js';
import { abortWhenClientGone } from '../../http/client-gone.js';
import { setServedBy } from '../../http/served-by.js';
import { type SseOptions, sendSse } from '../../http/sse.js';
import { ApiZodBody, zodPipe } from '../../http/zod-validation.js';
import type { Caller } from '../../keys/caller.js';
import { CallerOf, VirtualKeyGuard } from '../../keys/virtual-key.guard.js';
import { callerContext } from '../wire/caller-context.js';
import { nativeStreamBytes, sendNativeReply } from '../wire/native-answer.js';
import { nativeBodyOf, positiveInt, readWireBody } from '../wire/read-wire-body.js';
import { convertAnthropicRequest } from './convert-anthropic-request.js';
import { messagesRequestSchema } from './messages.schemas.js';
import { anthropicErrorEvent, toAnthropicEvents } from './to-anthropic-events.js';
import { toAnthropicMessage } from './to-anthropic-message.js';

const validate = zodPipe(messagesRequestSchema);

/**
 * `POST /v1/messages`: Anthropic's Messages format, any provider behind it. An Anthropic
 * provider gets the body as it was sent (but for `model`) and its answer goes back as it
 * came; any other provider gets it translated, checked first against the full schema.
 */
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
      'An Anthropic provider receives the request as sent (the model resolved) and its answer is returned as it came. Other providers get a translation; what it cannot carry is listed in the x-aigw-warnings header.',
  })
  @ApiZodBody(messagesRequestSchema)
  async create(
    @Body() input: unknown,
    @CallerOf() caller: Caller,
    @Req() request: FastifyRequest,
    // Not passthrough: a stream hijacks the reply, and Nest must not send it again.
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const { body, model, stream } = readWireBody(input);
    // The client going away aborts the upstream call; its usage row records the cut.
    const gone = abortWhenClientGone(reply);
    try {
      let warnings: string[] = [];
      const call: AiWireRequest = {
        model,
        native: nativeBodyOf('anthropic-messages', body, request),
        translate: () => {
          const converted = convertAnthropicRequest(validate.transform(body, { type: 'body' }), gone.signal);
          warnings = converted.warnings;
          return converted;
        },
        maxTokens: positiveInt(body.max_tokens),
        signal: gone.signal,
      };
      const endUserId = (body.metadata as { user_id?: unknown } | undefined)?.user_id;
      const context: Partial<CallContext> = {
        ...callerContext(caller, request),
        ...(typeof endUserId === 'string' && endUserId ? { metadata: { endUserId } } : {}),
      };
      const id = `msg_${String(request.id).replace(/-/g, '')}`;
      if (!stream) {
        const result = await this.ai.chat(call, context);
        setServedBy(reply, {
          provider: result.provider,
          model: result.model,
          // A translation's warnings only when a translated target answered.
          warnings: result.native ? result.warnings : [...warnings, ...result.warnings],
        });
        if (result.native) sendNativeReply(reply, result.native);
        else reply.status(200).send(toAnthropicMessage(result, { id, model }));
        return;
      }
      // Failures before the first byte (unknown model, upstream 4xx/5xx) keep their status.
      const { first, rest } = await primeStream<ChatStreamPart>(this.ai.stream(call, context));
      try {
        if (first?.type === 'start') {
          setServedBy(reply, {
            provider: first.provider,
            model: first.model,
            warnings: first.native ? (first.warnings ?? []) : [...warnings, ...(first.warnings ?? [])],
          });
        }
        const parts = prepend(first, rest);
        const events =
          first?.type === 'start' && first.native
            ? nativeStreamBytes(parts, anthropicErrorEvent)
            : toAnthropicEvents(parts, { id, model });
        await sendSse(request, reply, events, this.sse);
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
