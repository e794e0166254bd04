import { BadRequestError } from '../errors/errors.js';
import type { ChatRequest } from '../types/chat-request.js';
import type { ChatResult } from '../types/chat-result.js';
import type { ChatStreamPart } from '../types/chat-stream-part.js';
import type { EmbedRequest, EmbedResult } from '../types/embedding.js';
import { MEDIA_KIND_NAMES, type MediaRequest, type MediaResult } from '../types/media.js';
import type { CallInfo, CallInterceptor } from './call-interceptor.js';

/** Runs a provider call through the interceptors, the first one outermost. */
export class CallPipeline {
  constructor(private readonly interceptors: CallInterceptor[]) {}

  chat(call: CallInfo, request: ChatRequest): Promise<ChatResult> {
    const run = this.interceptors.reduceRight<(r: ChatRequest) => Promise<ChatResult>>(
      (next, interceptor) => {
        const wrap = interceptor.wrapChat?.bind(interceptor);
        return wrap ? (r) => wrap(call, r, next) : next;
      },
      (r) => call.provider.chat(r),
    );
    return run(request);
  }

  stream(call: CallInfo, request: ChatRequest): AsyncIterable<ChatStreamPart> {
    const run = this.interceptors.reduceRight<(r: ChatRequest) => AsyncIterable<ChatStreamPart>>(
      (next, interceptor) => {
        const wrap = interceptor.wrapStream?.bind(interceptor);
        return wrap ? (r) => wrap(call, r, next) : next;
      },
      (r) => call.provider.chatStream(r),
    );
    return run(request);
  }

  embed(call: CallInfo, request: EmbedRequest): Promise<EmbedResult> {
    const provider = call.provider;
    const run = this.interceptors.reduceRight<(r: EmbedRequest) => Promise<EmbedResult>>(
      (next, interceptor) => {
        const wrap = interceptor.wrapEmbed?.bind(interceptor);
        return wrap ? (r) => wrap(call, r, next) : next;
      },
      async (r) => {
        if (!provider.embed)
          throw new BadRequestError(`${provider.name} has no embeddings`, { provider: provider.name });
        return provider.embed(r);
      },
    );
    return run(request);
  }

  media(call: CallInfo, request: MediaRequest): Promise<MediaResult> {
    const provider = call.provider;
    const run = this.interceptors.reduceRight<(r: MediaRequest) => Promise<MediaResult>>(
      (next, interceptor) => {
        const wrap = interceptor.wrapMedia?.bind(interceptor);
        return wrap ? (r) => wrap(call, r, next) : next;
      },
      async (r) => {
        if (!provider.media || !provider.mediaKinds?.includes(r.kind))
          throw new BadRequestError(`${provider.name} has no ${MEDIA_KIND_NAMES[r.kind]}`, {
            provider: provider.name,
          });
        return provider.media(r);
      },
    );
    return run(request);
  }
}
