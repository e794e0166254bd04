import Anthropic from '@anthropic-ai/sdk';
import type { Message, RawMessageStreamEvent } from '@anthropic-ai/sdk/resources/messages';
import { type AIError, BadRequestError, UpstreamError } from '../../errors/index.js';
import type {
  ChatRequest,
  ChatResult,
  ChatStreamPart,
  IAIProvider,
  ModelInfo,
  ProviderHealth,
  ProviderSettings,
  TokenCountRequest,
  TokenCountResult,
} from '../../types/index.js';
import { type CallSignal, callSignal } from '../call-signal.js';
import { reuseRequestHeaders } from '../reused-request-headers.js';
import { sdkClientOptions } from '../sdk-client-options.js';
import {
  type AnthropicNativeTarget,
  anthropicNativeChat,
  anthropicNativeCountTokens,
  anthropicNativeStream,
} from './anthropic-native.js';
import { anthropicResult } from './anthropic-result.js';
import { AnthropicStreamReader } from './anthropic-stream-reader.js';
import { buildAnthropicRequest } from './build-anthropic-request.js';
import { mapAnthropicError } from './map-anthropic-error.js';

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
  readonly wireFormats = ['anthropic-messages'] as const;
  readonly countFormats = ['anthropic-messages'] as const;
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
      if (request.native)
        return await anthropicNativeChat(this.nativeTarget(), { ...request, native: request.native }, call);
      const { body, warnings } = buildAnthropicRequest(request, this.name);
      const message = await this.client.post<Message>(MESSAGES_PATH, {
        body: { ...body, stream: false },
        signal: call.signal,
      });
      return anthropicResult(message, this.name, request.model, warnings);
    } catch (error) {
      throw this.mapError(error, call);
    } finally {
      call.release();
    }
  }

  async *chatStream(request: ChatRequest): AsyncGenerator<ChatStreamPart> {
    const call = callSignal(request, this.settings.timeoutMs);
    try {
      if (request.native) {
        yield* anthropicNativeStream(this.nativeTarget(), { ...request, native: request.native }, call);
        return;
      }
      const { body, warnings } = buildAnthropicRequest(request, this.name);
      // Everything about this call lives in the reader, never on the instance.
      const reader = new AnthropicStreamReader(request.model, warnings);
      const stream = await this.client.post<AsyncIterable<RawMessageStreamEvent>>(MESSAGES_PATH, {
        body: { ...body, stream: true },
        stream: true,
        signal: call.signal,
      });
      for await (const event of stream) {
        yield* reader.read(event);
        if (reader.finished) return;
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

  async countTokens(request: TokenCountRequest): Promise<TokenCountResult> {
    if (request.native.format !== 'anthropic-messages') {
      throw new BadRequestError(`${this.name}: cannot count tokens of a ${request.native.format} request`, {
        provider: this.name,
      });
    }
    const call = callSignal(request, this.settings.timeoutMs);
    try {
      return await anthropicNativeCountTokens(this.nativeTarget(), request, call);
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

  private nativeTarget(): AnthropicNativeTarget {
    return {
      provider: this.name,
      baseUrl: this.client.baseURL,
      apiKey: this.settings.apiKey,
      headers: this.settings.headers,
    };
  }

  private mapError(error: unknown, call: CallSignal): AIError {
    return mapAnthropicError(error, this.name, {
      aborted: call.aborted,
      timedOut: call.timedOut,
      secrets: [this.settings.apiKey],
    });
  }
}
