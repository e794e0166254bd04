import Anthropic from '@anthropic-ai/sdk';
import type { Message, RawMessageStreamEvent } from '@anthropic-ai/sdk/resources/messages';
import { type AIError, UpstreamError } from '../../errors/index.js';
import type {
  ChatRequest,
  ChatResult,
  ChatStreamPart,
  IAIProvider,
  ModelInfo,
  ProviderHealth,
  ProviderSettings,
  ToolCall,
} from '../../types/index.js';
import { type CallSignal, callSignal } from '../call-signal.js';
import { reuseRequestHeaders } from '../reused-request-headers.js';
import { sdkClientOptions } from '../sdk-client-options.js';
import { buildAnthropicRequest } from './build-anthropic-request.js';
import {
  type AnthropicUsageBlock,
  convertAnthropicUsage,
  mergeAnthropicUsage,
} from './convert-anthropic-usage.js';
import { mapAnthropicError } from './map-anthropic-error.js';
import { mapAnthropicFinishReason } from './map-anthropic-finish-reason.js';

/**
 * The Messages endpoint, reached through the SDK's documented `client.post` rather than
 * `messages.create`: the latter prints deprecation notices with console.warn on every
 * call, which would break our one-JSON-object-per-line logs.
 */
const MESSAGES_PATH = '/v1/messages';

/** A health check should answer quickly, whatever the timeout of real calls. */
const HEALTH_CHECK_TIMEOUT_MS = 10_000;

/** The Anthropic Messages API through the official SDK. Anthropic has no embeddings. */
export class AnthropicProvider implements IAIProvider {
  readonly type = 'anthropic';
  readonly name: string;
  readonly displayName: string;
  private readonly client: Anthropic;

  constructor(private readonly settings: ProviderSettings) {
    this.name = settings.name;
    this.displayName = settings.displayName ?? 'Anthropic';
    this.client = reuseRequestHeaders(
      new Anthropic({ apiKey: settings.apiKey, ...sdkClientOptions(settings) }),
      typeof settings.apiKey === 'string' && settings.apiKey !== '',
    );
  }

  async chat(request: ChatRequest): Promise<ChatResult> {
    const call = callSignal(request, this.settings.timeoutMs);
    try {
      const { body, warnings } = buildAnthropicRequest(request);
      const message = await this.client.post<Message>(MESSAGES_PATH, {
        body: { ...body, stream: false },
        signal: call.signal,
      });
      const toolCalls: ToolCall[] = [];
      let text = '';
      let reasoning: string | undefined;
      for (const block of message.content) {
        if (block.type === 'text') text += block.text;
        else if (block.type === 'thinking') reasoning = (reasoning ?? '') + block.thinking;
        else if (block.type === 'tool_use') {
          toolCalls.push({ id: block.id, name: block.name, arguments: JSON.stringify(block.input ?? {}) });
        }
      }
      return {
        provider: this.name,
        // Some Anthropic-format servers leave it out; a header and the row still need one.
        model: message.model ?? request.model,
        id: message.id,
        text,
        toolCalls,
        ...(reasoning === undefined ? {} : { reasoning }),
        finishReason: mapAnthropicFinishReason(message.stop_reason),
        usage: convertAnthropicUsage(message.usage),
        warnings,
      };
    } catch (error) {
      throw this.mapError(error, call);
    } finally {
      call.release();
    }
  }

  async *chatStream(request: ChatRequest): AsyncGenerator<ChatStreamPart> {
    // Everything about this call lives here, never on the instance.
    let usage: AnthropicUsageBlock | undefined;
    let stopReason: string | null | undefined;
    const toolIndexByBlock = new Map<number, number>();
    const call = callSignal(request, this.settings.timeoutMs);
    try {
      const { body, warnings } = buildAnthropicRequest(request);
      const stream = await this.client.post<AsyncIterable<RawMessageStreamEvent>>(MESSAGES_PATH, {
        body: { ...body, stream: true },
        stream: true,
        signal: call.signal,
      });
      for await (const event of stream) {
        switch (event.type) {
          case 'message_start':
            usage = mergeAnthropicUsage(usage, event.message.usage);
            yield {
              type: 'start',
              id: event.message.id,
              model: event.message.model ?? request.model,
              ...(warnings.length ? { warnings } : {}),
            };
            break;
          case 'content_block_start': {
            const block = event.content_block;
            if (block.type === 'tool_use') {
              const index = toolIndexByBlock.size;
              toolIndexByBlock.set(event.index, index);
              yield { type: 'tool-call-start', index, id: block.id, name: block.name };
            } else if (block.type === 'text' && block.text) {
              yield { type: 'text-delta', delta: block.text };
            } else if (block.type === 'thinking' && block.thinking) {
              yield { type: 'reasoning-delta', delta: block.thinking };
            }
            break;
          }
          case 'content_block_delta': {
            const delta = event.delta;
            if (delta.type === 'text_delta') yield { type: 'text-delta', delta: delta.text };
            else if (delta.type === 'thinking_delta')
              yield { type: 'reasoning-delta', delta: delta.thinking };
            else if (delta.type === 'input_json_delta') {
              const index = toolIndexByBlock.get(event.index);
              if (index !== undefined && delta.partial_json) {
                yield { type: 'tool-call-delta', index, argumentsDelta: delta.partial_json };
              }
            }
            break;
          }
          case 'message_delta':
            stopReason = event.delta.stop_reason ?? stopReason;
            usage = mergeAnthropicUsage(usage, event.usage);
            break;
          case 'message_stop':
            yield {
              type: 'finish',
              finishReason: mapAnthropicFinishReason(stopReason),
              usage: convertAnthropicUsage(usage),
            };
            return;
        }
      }
      // The SDK ends a stream quietly when its signal fires (cancelled or timed out);
      // anything else without message_stop is a cut stream, whatever usage came before.
      if (call.aborted || call.timedOut) throw new Error('stream stopped');
      throw new UpstreamError(`${this.name}: stream ended early (no message_stop)`, { provider: this.name });
    } catch (error) {
      throw this.mapError(error, call);
    } finally {
      call.release();
    }
  }

  listModels(): ModelInfo[] {
    return this.settings.models();
  }

  async healthCheck(signal?: AbortSignal): Promise<ProviderHealth> {
    const started = performance.now();
    const latency = () => Math.round(performance.now() - started);
    const timeoutMs = Math.min(this.settings.timeoutMs ?? HEALTH_CHECK_TIMEOUT_MS, HEALTH_CHECK_TIMEOUT_MS);
    const call = callSignal({ signal, timeoutMs });
    try {
      // GET /v1/models?limit=1: authenticated, and free of token charges.
      await this.client.models.list({ limit: 1 }, { signal: call.signal });
      return { ok: true, latencyMs: latency() };
    } catch (error) {
      return { ok: false, latencyMs: latency(), error: this.mapError(error, call).message };
    } finally {
      call.release();
    }
  }

  private mapError(error: unknown, call: CallSignal): AIError {
    return mapAnthropicError(error, this.name, {
      aborted: call.aborted,
      timedOut: call.timedOut,
      secrets: [this.settings.apiKey],
    });
  }
}
