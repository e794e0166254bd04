import { AiService, type ChatStreamPart, prepend, primeStream, stopStream } from '@aigw/ai';
import {
  BadRequestException,
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  Post,
  Query,
  Req,
  Res,
  UseGuards,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Env } from '../../config/env.schema.js';
import { abortWhenClientGone } from '../../http/client-gone.js';
import { setServedBy } from '../../http/served-by.js';
import { type SseOptions, sendSse } from '../../http/sse.js';
import { RequestValidationError } from '../../http/zod-validation.js';
import type { Caller } from '../../keys/caller.js';
import { CallerOf, VirtualKeyGuard } from '../../keys/virtual-key.guard.js';
import { ESTIMATED_COUNT_HEADER } from '../anthropic/count-tokens.controller.js';
import { callerContext } from '../wire/caller-context.js';
import { nativeStreamBytes, sendNativeReply } from '../wire/native-answer.js';
import { readWireBody } from '../wire/read-wire-body.js';
import { BackgroundResponses } from './background-responses.js';
import { prepareResponsesCall } from './prepare-responses-call.js';
import { newResponseId } from './response-ids.js';
import { type AnsweredResponse, ResponseStore } from './response-store.js';
import type { ResponsesRequest } from './responses.schemas.js';
import { responsesErrorEvent, toResponseEvents } from './to-response-events.js';
import { type ResponseShell, toResponseObject } from './to-response-object.js';

/**
 * OpenAI's Responses API, any provider behind it: `POST /v1/responses` (streaming with the
 * full typed event set), `GET|DELETE /v1/responses/{id}`, `POST /v1/responses/{id}/cancel`,
 * `GET /v1/responses/{id}/input_items`, `POST /v1/responses/input_tokens`. An OpenAI
 * provider gets the request natively; others get a translation. The gateway keeps every
 * response with `store` on (PostgreSQL), for its user only.
 */
@ApiTags('openai')
@ApiBearerAuth()
@Controller('v1/responses')
@UseGuards(VirtualKeyGuard)
export class ResponsesController {
  private readonly sse: SseOptions;

  constructor(
    private readonly ai: AiService,
    private readonly store: ResponseStore,
    private readonly background: BackgroundResponses,
    config: ConfigService<Env, true>,
  ) {
    this.sse = { stallTimeoutMs: config.get('STREAM_STALL_TIMEOUT_MS', { infer: true }) };
  }

  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: 'Create a model response (OpenAI Responses format; streaming with stream: true)' })
  async create(
    @Body() input: unknown,
    @CallerOf() caller: Caller,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const { body, model, stream } = readWireBody(input);
    const context = callerContext(caller, request);
    const shell: ResponseShell = {
      id: newResponseId(),
      createdAt: Math.floor(Date.now() / 1000),
      model,
      body: body as ResponsesRequest,
      ...(typeof body.previous_response_id === 'string'
        ? { previousResponseId: body.previous_response_id }
        : {}),
    };
    if (body.background === true) {
      reply.send(await this.background.start(body, shell, caller, request));
      return;
    }
    const keep = body.store !== false;
    const gone = abortWhenClientGone(reply);
    try {
      const prepared = await prepareResponsesCall(
        body,
        model,
        request,
        this.store,
        caller.userId,
        gone.signal,
      );
      const keeping = (result: { provider: string; native?: unknown }): AnsweredResponse => ({
        prepared,
        caller,
        requestId: String(request.id),
        model,
        provider: result.provider,
        storedUpstream: result.native !== undefined && keep,
        background: false,
      });
      if (!stream) {
        const result = await this.ai.chat(prepared.call, context);
        setServedBy(reply, {
          ...result,
          warnings: result.native ? result.warnings : [...prepared.warnings(), ...result.warnings],
        });
        const response = result.native
          ? (JSON.parse(result.native.body.toString('utf8')) as Record<string, unknown>)
          : toResponseObject(result, shell);
        if (keep) await this.store.keepAnswered(response, keeping(result));
        if (result.native) sendNativeReply(reply, result.native);
        else reply.send(response);
        return;
      }
      const { first, rest } = await primeStream<ChatStreamPart>(this.ai.stream(prepared.call, context));
      try {
        const native = first?.type === 'start' && first.native === true;
        if (first?.type === 'start') {
          setServedBy(reply, {
            provider: first.provider,
            model: first.model,
            warnings: native ? (first.warnings ?? []) : [...prepared.warnings(), ...(first.warnings ?? [])],
          });
        }
        const served = {
          provider: first?.type === 'start' ? (first.provider ?? '') : '',
          ...(native ? { native } : {}),
        };
        const parts = prepend(first, rest);
        const events = native
          ? nativeStreamBytes(
              keptAtFinish(
                parts,
                keep ? (response) => this.store.keepAnswered(response, keeping(served)) : undefined,
              ),
              responsesErrorEvent,
            )
          : toResponseEvents(parts, shell, async (response) => {
              if (keep) await this.store.keepAnswered(response, keeping(served));
            });
        await sendSse(request, reply, events, this.sse);
      } catch (error) {
        await stopStream(rest);
        throw error;
      }
    } finally {
      gone.release();
    }
  }

  @Post('input_tokens')
  @HttpCode(200)
  @ApiOperation({ summary: 'Count the input tokens of a Responses request' })
  async countInputTokens(
    @Body() input: unknown,
    @CallerOf() caller: Caller,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const { body, model } = readWireBody(input);
    const gone = abortWhenClientGone(reply);
    try {
      const prepared = await prepareResponsesCall(
        body,
        model,
        request,
        this.store,
        caller.userId,
        gone.signal,
      );
      // The history written out: no provider is asked to look a kept response up to count it.
      const native = prepared.call.nativeFor?.('') ?? prepared.call.native;
      const result = await this.ai.countTokens({ model, native, signal: gone.signal });
      setServedBy(reply, { provider: result.provider, model: result.model });
      if (result.native) {
        sendNativeReply(reply, result.native);
        return;
      }
      reply
        .header(ESTIMATED_COUNT_HEADER, 'estimated; tokenizer=o200k_base')
        .send({ object: 'response.input_tokens', input_tokens: result.inputTokens });
    } finally {
      gone.release();
    }
  }

  @Get(':id')
  @ApiOperation({ summary: 'Retrieve a kept response' })
  async retrieve(@Param('id') id: string, @CallerOf() caller: Caller): Promise<Record<string, unknown>> {
    return (await this.owned(id, caller)).response;
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Delete a kept response' })
  async remove(@Param('id') id: string, @CallerOf() caller: Caller) {
    await this.owned(id, caller);
    this.background.stop(id);
    await this.store.delete(id, caller.userId);
    return { id, object: 'response', deleted: true };
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @ApiOperation({ summary: 'Cancel a background response that is still running' })
  async cancel(@Param('id') id: string, @CallerOf() caller: Caller): Promise<Record<string, unknown>> {
    const stored = await this.owned(id, caller);
    if (!stored.background)
      throw new BadRequestException('Only a response created with background: true can be cancelled.');
    await this.background.cancel(stored);
    return (await this.owned(id, caller)).response;
  }

  @Get(':id/input_items')
  @ApiOperation({ summary: 'List the input items of a kept response' })
  async inputItems(
    @Param('id') id: string,
    @CallerOf() caller: Caller,
    @Query() query: Record<string, string | undefined>,
  ) {
    await this.owned(id, caller);
    const limit = query.limit === undefined ? 20 : Number(query.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
      throw new RequestValidationError(['limit: must be a whole number from 1 to 100']);
    }
    const order = query.order ?? 'desc';
    if (order !== 'asc' && order !== 'desc')
      throw new RequestValidationError(["order: must be 'asc' or 'desc'"]);
    const { items, hasMore } = await this.store.inputItems(id, { after: query.after, limit, order });
    return {
      object: 'list',
      data: items,
      first_id: items[0]?.id ?? null,
      last_id: items.at(-1)?.id ?? null,
      has_more: hasMore,
    };
  }

  /** A response of the caller's user, else a 404 (another user's id included). */
  private async owned(id: string, caller: Caller) {
    const stored = await this.store.get(id, caller.userId);
    if (!stored) throw new NotFoundException(`No response found with id '${id}'.`);
    return stored;
  }
}

/** The parts as they come; `keep` runs with the provider's final response before the stream goes on. */
async function* keptAtFinish(
  parts: AsyncIterable<ChatStreamPart>,
  keep: ((response: Record<string, unknown>) => Promise<void>) | undefined,
): AsyncIterable<ChatStreamPart> {
  for await (const part of parts) {
    if (keep && part.type === 'finish' && part.nativeResult && typeof part.nativeResult === 'object') {
      await keep(part.nativeResult as Record<string, unknown>);
    }
    yield part;
  }
}
