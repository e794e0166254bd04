import type { Message, RawMessageStreamEvent } from '@anthropic-ai/sdk/resources/messages';
import type { ChatRequest } from '../../types/chat-request.js';
import type { ChatResult } from '../../types/chat-result.js';
import type { ChatStreamPart } from '../../types/chat-stream-part.js';
import type { NativeBody } from '../../types/native-body.js';
import type { TokenCountRequest, TokenCountResult } from '../../types/token-count.js';
import type { CallSignal } from '../call-signal.js';
import { withForwardedHeaders } from '../native/forwarded-headers.js';
import { joinUrl, nativeRequestBody } from '../native/native-request-body.js';
import { endNativeStream, eventJson, inBandReply, nativeStream } from '../native/native-stream.js';
import { postNative, readNativeJson, readNativeTokenCount } from '../native/post-native.js';
import { anthropicResult } from './anthropic-result.js';
import { AnthropicStreamReader } from './anthropic-stream-reader.js';
import { mapAnthropicStreamError } from './map-anthropic-error.js';

/** The version the SDK (1.x) sends, for a native call whose caller named none. */
export const DEFAULT_ANTHROPIC_VERSION = '2026-10-21';

/** What a native Anthropic call needs of its provider. */
export interface AnthropicNativeTarget {
  provider: string;
  baseUrl: string;
  apiKey: string | undefined;
  /** The provider's configured extra headers. */
  headers: Record<string, string> | undefined;
}

/** A Messages body sent as the caller wrote it (but for `model`): its answer comes back whole. */
export async function anthropicNativeChat(
  target: AnthropicNativeTarget,
  request: ChatRequest & { native: NativeBody },
  call: CallSignal,
): Promise<ChatResult> {
  const response = await postNative(post(target, request, call, '/v1/messages'));
  const { json, reply } = await readNativeJson(response, target.provider, call, [target.apiKey]);
  return { ...anthropicResult(json as Message, target.provider, request.model, []), native: reply };
}

/** A streamed Messages call, its SSE bytes passed on as received while their usage is read. */
export async function* anthropicNativeStream(
  target: AnthropicNativeTarget,
  request: ChatRequest & { native: NativeBody },
  call: CallSignal,
): AsyncGenerator<ChatStreamPart> {
  const response = await postNative(post(target, request, call, '/v1/messages'));
  const reader = new AnthropicStreamReader(request.model);
  let failure: { type?: string; message?: string; raw: string } | undefined;
  const parts = nativeStream(
    response.body,
    (event) => {
      const data = eventJson(event.data);
      if (event.event === 'error' || data?.type === 'error') {
        failure = { ...(data?.error as { type?: string; message?: string }), raw: event.data };
        return [];
      }
      return data ? reader.read(data as unknown as RawMessageStreamEvent) : [];
    },
    { type: 'start', model: request.model },
    [target.apiKey],
  );
  yield* endNativeStream(parts, {
    provider: target.provider,
    call,
    // The caller has the upstream's own `error` event already; this tells the gateway.
    failure: () =>
      failure &&
      mapAnthropicStreamError(failure, target.provider, inBandReply('anthropic-messages', failure.raw)),
    last: () => (reader.finished ? 'already-finished' : undefined),
    cutMessage: 'stream ended early (no message_stop)',
  });
}

/** `POST /v1/messages/count_tokens` with the caller's body (but for `model`): the provider's own count. */
export async function anthropicNativeCountTokens(
  target: AnthropicNativeTarget,
  request: TokenCountRequest,
  call: CallSignal,
): Promise<TokenCountResult> {
  const response = await postNative(post(target, request, call, '/v1/messages/count_tokens'));
  return readNativeTokenCount(response, target, request.model, call);
}

function post(
  target: AnthropicNativeTarget,
  request: { model: string; native: NativeBody },
  call: CallSignal,
  path: string,
) {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/json',
    'anthropic-version': DEFAULT_ANTHROPIC_VERSION,
    ...withForwardedHeaders(target.headers, request.native.headers),
  };
  if (target.apiKey) headers['x-api-key'] = target.apiKey;
  return {
    provider: target.provider,
    format: 'anthropic-messages' as const,
    url: joinUrl(target.baseUrl, path, request.native.query),
    headers,
    body: nativeRequestBody(request.native, request.model),
    call,
    secrets: [target.apiKey],
  };
}
