import OpenAI from 'openai';
import type { ChatCompletionCreateParamsBase } from 'openai/resources/chat/completions';
import { AbortedError, BadRequestError, UpstreamError } from '../../errors/errors.js';
import { mapSdkError } from '../../errors/map-sdk-error.js';
import type { IAIProvider, ProviderHealth } from '../../types/ai-provider.js';
import type { ChatRequest } from '../../types/chat-request.js';
import type { ChatResult } from '../../types/chat-result.js';
import type { ChatStreamPart } from '../../types/chat-stream-part.js';
import type { EmbedRequest, EmbedResult } from '../../types/embedding.js';
import type { MediaKind, MediaRequest, MediaResult } from '../../types/media.js';
import type { ModelInfo } from '../../types/model-info.js';
import type { NativeBody, WireFormat } from '../../types/native-body.js';
import type { ProviderSettings } from '../../types/provider-settings.js';
import type { TokenCountRequest, TokenCountResult } from '../../types/token-count.js';
import { type CallSignal, callSignal } from '../call-signal.js';
import { reuseRequestHeaders } from '../reused-request-headers.js';
import { sdkClientOptions } from '../sdk-client-options.js';
import { buildOpenAIChatRequest } from './build-openai-chat-request.js';
import { convertOpenAIChatUsage } from './convert-openai-chat-usage.js';
import { type OpenAINativeTarget, openAINativeChat, openAINativeStream } from './openai-chat-native.js';
import { openAIChatResult } from './openai-chat-result.js';
import { OpenAIChatStreamReader } from './openai-chat-stream-reader.js';
import { OPENAI_MEDIA_PATHS, openAIMedia } from './openai-media.js';
import {
  openAIResponsesChat,
  openAIResponsesCountTokens,
  openAIResponsesStream,
} from './openai-responses-native.js';

/** How an OpenAI-format API differs from OpenAI's own. */
export interface OpenAIDialect {
  type: 'openai' | 'openai-compatible';
  /** OpenAI wants `max_completion_tokens`; most compatible servers only know `max_tokens`. */
  maxTokensField: 'max_completion_tokens' | 'max_tokens';
  /** Whether the server has `/embeddings`. */
  embeddings: boolean;
  /** Whether it takes the `developer` role; most compatible servers reject it, so it is sent as `system`. */
  developerRole: boolean;
  /** Whether it takes Anthropic-style `cache_control` on text parts (OpenRouter passes them on to Claude). */
  cacheControl: boolean;
  /** Whether it takes `top_k` (OpenAI has none; OpenRouter and vLLM do). */
  topK: boolean;
  /** The media endpoints it has (`/images/generations`, `/audio/*`). */
  media: readonly MediaKind[];
}

const OPENAI_DIALECT: OpenAIDialect = {
  type: 'openai',
  maxTokensField: 'max_completion_tokens',
  embeddings: true,
  developerRole: true,
  cacheControl: false,
  topK: false,
  media: ['image', 'transcription', 'translation', 'speech'],
};

/** A provider speaking the OpenAI Chat Completions API, through the official `openai` SDK. */
export class OpenAIChatProvider implements IAIProvider {
  readonly name: string;
  readonly displayName: string;
  readonly type: string;
  /** Chat Completions everywhere; the Responses API only at OpenAI (compatible servers' support varies). */
  readonly wireFormats: readonly WireFormat[];
  /** OpenAI counts Responses API bodies (`/responses/input_tokens`); Chat Completions has no count endpoint. */
  readonly countFormats: readonly WireFormat[];
  protected readonly client: OpenAI;
  readonly embed?: (request: EmbedRequest) => Promise<EmbedResult>;
  readonly mediaKinds: readonly MediaKind[];

  constructor(
    protected readonly settings: ProviderSettings,
    protected readonly dialect: OpenAIDialect = OPENAI_DIALECT,
  ) {
    this.name = settings.name;
    this.displayName = settings.displayName ?? 'OpenAI';
    this.type = dialect.type;
    this.wireFormats = dialect.type === 'openai' ? ['openai-chat', 'openai-responses'] : ['openai-chat'];
    this.countFormats = dialect.type === 'openai' ? ['openai-responses'] : [];
    this.client = reuseRequestHeaders(
      // Local servers (Ollama, vLLM) take no key, but the SDK insists on one.
      new OpenAI({ apiKey: settings.apiKey || 'no-key', ...sdkClientOptions(settings) }),
      true,
    );
    if (dialect.embeddings) this.embed = (request) => this.embedWith(request);
    this.mediaKinds = dialect.media;
  }

  listModels(): ModelInfo[] {
    return this.settings.models();
  }

  async chat(request: ChatRequest): Promise<ChatResult> {
    const call = callSignal(request, this.settings.timeoutMs);
    try {
      if (request.native) {
        const native = { ...request, native: this.nativeBody(request.native, this.wireFormats, 'send') };
        return native.native.format === 'openai-responses'
          ? await openAIResponsesChat(this.nativeTarget(), native, call)
          : await openAINativeChat(this.nativeTarget(), native, call);
      }
      const { body, warnings } = this.buildBody(request);
      const response = await this.client.chat.completions.create(
        { ...body, stream: false },
        { signal: call.signal },
      );
      return openAIChatResult(response, this.name, request.model, warnings);
    } catch (error) {
      throw this.mapError(error, call);
    } finally {
      call.release();
    }
  }

  async *chatStream(request: ChatRequest): AsyncIterable<ChatStreamPart> {
    const call = callSignal(request, this.settings.timeoutMs);
    try {
      if (request.native) {
        const native = { ...request, native: this.nativeBody(request.native, this.wireFormats, 'send') };
        yield* native.native.format === 'openai-responses'
          ? openAIResponsesStream(this.nativeTarget(), native, call)
          : openAINativeStream(this.nativeTarget(), native, call);
        return;
      }
      const { body, warnings } = this.buildBody(request);
      // Per-call state lives in the reader, never in fields of the shared provider.
      const reader = new OpenAIChatStreamReader(request.model, warnings);
      const stream = await this.client.chat.completions.create(
        { ...body, stream: true, stream_options: { include_usage: true } },
        { signal: call.signal },
      );
      for await (const chunk of stream) yield* reader.read(chunk);
      // An aborted stream can end quietly instead of throwing.
      if (call.aborted || call.timedOut) throw new Error('stream stopped');
      const finish = reader.finish();
      if (!finish) {
        throw new UpstreamError(`${this.name}: the stream ended before the model finished`, {
          provider: this.name,
        });
      }
      yield finish;
    } catch (error) {
      throw this.mapError(error, call);
    } finally {
      call.release();
    }
  }

  async countTokens(request: TokenCountRequest): Promise<TokenCountResult> {
    const call = callSignal(request, this.settings.timeoutMs);
    try {
      const native = this.nativeBody(request.native, this.countFormats, 'count tokens of');
      return await openAIResponsesCountTokens(this.nativeTarget(), { ...request, native }, call);
    } catch (error) {
      throw this.mapError(error, call);
    } finally {
      call.release();
    }
  }

  async healthCheck(signal?: AbortSignal): Promise<ProviderHealth> {
    const started = performance.now();
    const call = callSignal({ signal, timeoutMs: 5000 });
    try {
      await this.client.models.list({ signal: call.signal });
      return { ok: true, latencyMs: Math.round(performance.now() - started) };
    } catch (error) {
      return {
        ok: false,
        latencyMs: Math.round(performance.now() - started),
        error: this.mapError(error, call).message,
      };
    } finally {
      call.release();
    }
  }

  private async embedWith(request: EmbedRequest): Promise<EmbedResult> {
    const call = callSignal(request, this.settings.timeoutMs);
    try {
      const response = await this.client.embeddings.create(
        {
          model: request.model,
          input: request.input,
          // Plain floats: some compatible servers do not support base64.
          encoding_format: 'float',
          ...(request.dimensions !== undefined ? { dimensions: request.dimensions } : {}),
        },
        { signal: call.signal },
      );
      const ordered = [...response.data].sort((a, b) => a.index - b.index);
      const usage = convertOpenAIChatUsage({
        prompt_tokens: response.usage?.prompt_tokens,
        completion_tokens: 0,
      });
      return {
        provider: this.name,
        model: response.model ?? request.model,
        embeddings: ordered.map((d) => d.embedding),
        usage,
      };
    } catch (error) {
      throw this.mapError(error, call);
    } finally {
      call.release();
    }
  }

  /** The native body, when its format is one of `formats`; else a BadRequestError. */
  private nativeBody(native: NativeBody, formats: readonly WireFormat[], action: string): NativeBody {
    if (formats.includes(native.format)) return native;
    throw new BadRequestError(`${this.name}: cannot ${action} a ${native.format} request`, {
      provider: this.name,
    });
  }

  /** Images, transcriptions, translations and speech, in OpenAI's format as the caller sent them. */
  async media(request: MediaRequest): Promise<MediaResult> {
    if (!this.mediaKinds.includes(request.kind)) {
      throw new BadRequestError(`${this.name} has no ${OPENAI_MEDIA_PATHS[request.kind]} endpoint`, {
        provider: this.name,
      });
    }
    return openAIMedia(this.nativeTarget(), request, callSignal(request, this.settings.timeoutMs));
  }

  private nativeTarget(): OpenAINativeTarget {
    return {
      provider: this.name,
      baseUrl: this.client.baseURL,
      apiKey: this.settings.apiKey,
      headers: this.settings.headers,
    };
  }

  private mapError(error: unknown, call: CallSignal) {
    if (call.aborted)
      return new AbortedError(`${this.name}: the call was cancelled`, { provider: this.name });
    return mapSdkError(error, this.name, undefined, {
      timedOut: call.timedOut,
      secrets: [this.settings.apiKey],
    });
  }

  private buildBody(request: ChatRequest): { body: ChatCompletionCreateParamsBase; warnings: string[] } {
    return buildOpenAIChatRequest(request, {
      provider: this.name,
      dialect: this.dialect,
      models: () => this.settings.models(),
    });
  }
}
