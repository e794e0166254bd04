import { AiService } from '@aigw/ai';
import { Body, Controller, HttpCode, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { abortWhenClientGone } from '../../http/client-gone.js';
import { setServedBy } from '../../http/served-by.js';
import { VirtualKeyGuard } from '../../keys/virtual-key.guard.js';
import { sendNativeReply } from '../wire/native-answer.js';
import { nativeBodyOf, readWireBody } from '../wire/read-wire-body.js';

/** Marks a count made by our tokenizer rather than by the provider. */
export const ESTIMATED_COUNT_HEADER = 'x-aigw-token-count';

/**
 * `POST /v1/messages/count_tokens`: Anthropic's token counting. An Anthropic provider
 * counts the body as sent (its answer returned as it came); for any other provider (or
 * when the provider's count fails), the gateway's tokenizer estimates, and the
 * `x-aigw-token-count: estimated` header says so. Counting is free: it is limited by
 * the key's request rate, writes no usage row and spends no budget.
 */
@ApiTags('anthropic')
@ApiBearerAuth()
@ApiSecurity('x-api-key')
@Controller('v1')
@UseGuards(VirtualKeyGuard)
export class CountTokensController {
  constructor(private readonly ai: AiService) {}

  @Post('messages/count_tokens')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Count the input tokens of a message request (Anthropic format)',
    description:
      'Counted by an Anthropic provider; estimated with the o200k tokenizer for other providers, marked by the x-aigw-token-count header.',
  })
  async count(
    @Body() input: unknown,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const { body, model } = readWireBody(input);
    const gone = abortWhenClientGone(reply);
    try {
      const result = await this.ai.countTokens({
        model,
        native: nativeBodyOf('anthropic-messages', body, request),
        signal: gone.signal,
      });
      setServedBy(reply, { provider: result.provider, model: result.model });
      if (result.native) {
        sendNativeReply(reply, result.native);
        return;
      }
      reply
        .header(ESTIMATED_COUNT_HEADER, 'estimated; tokenizer=o200k_base')
        .send({ input_tokens: result.inputTokens });
    } finally {
      gone.release();
    }
  }
}
