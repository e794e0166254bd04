import {
  AiService,
  type AiWireRequest,
  type ChatStreamPart,
  prepend,
  primeStream,
  stopStream,
} from '@aigw/ai';
import { Body, Controller, HttpCode, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
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
import { chatCompletionRequestSchema } from './chat-completions.schemas.js';
import { convertOpenAIRequest } from './convert-openai-request.js';
import { openAIErrorChunk, toOpenAIChunks } from './to-openai-chunks.js';
import { toOpenAICompletion } from './to-openai-completion.js';

const validate = zodPipe(chatCompletionRequestSchema);

/**
 * `POST /v1/chat/completions`: OpenAI's Chat Completions format, any provider behind it.
 * An OpenAI or OpenAI-compatible provider gets the body as it was sent (but for `model`)
 * and its answer goes back as it came; any other provider gets it translated, checked
 * first against the full schema.
 */
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
    @Body() input: unknown,
    @CallerOf() caller: Caller,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const { body, model, stream } = readWireBody(input);
    const context = callerContext(caller, request);
    const id = `chatcmpl-${String(request.id).replace(/-/g, '')}`;
    // The client going away aborts the upstream call; its usage row records the cut.
    const gone = abortWhenClientGone(reply);
    try {
      let warnings: string[] = [];
      const call: AiWireRequest = {
        model,
        native: nativeBodyOf('openai-chat', body, request),
        translate: () => {
          const converted = convertOpenAIRequest(validate.transform(body, { type: 'body' }), gone.signal);
          warnings = converted.warnings;
          return converted;
        },
        maxTokens: maxOutputTokens(body),
        signal: gone.signal,
      };
      if (!stream) {
        const result = await this.ai.chat(call, context);
        // Sent here, not returned: with a streaming branch the reply is ours, not Nest's.
        setServedBy(reply, {
          provider: result.provider,
          model: result.model,
          // A translation's warnings only when a translated target answered.
          warnings: result.native ? result.warnings : [...warnings, ...result.warnings],
        });
        if (result.native) sendNativeReply(reply, result.native);
        else reply.send(toOpenAICompletion(result, id));
        return;
      }
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
        const chunks =
          first?.type === 'start' && first.native
            ? nativeStreamBytes(parts, openAIErrorChunk)
            : toOpenAIChunks(parts, {
                id,
                model,
                includeUsage:
                  (body.stream_options as { include_usage?: unknown } | undefined)?.include_usage === true,
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

/** The most output the body allows, over all its choices (`n`), for budget reservations. */
function maxOutputTokens(body: Record<string, unknown>): number | undefined {
  const perChoice = positiveInt(body.max_completion_tokens) ?? positiveInt(body.max_tokens);
  return perChoice === undefined ? undefined : perChoice * (positiveInt(body.n) ?? 1);
}
