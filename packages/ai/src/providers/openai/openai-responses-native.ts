import type { ChatRequest } from '../../types/chat-request.js';
import type { ChatResult } from '../../types/chat-result.js';
import type { ChatStreamPart } from '../../types/chat-stream-part.js';
import type { NativeBody } from '../../types/native-body.js';
import type { TokenCountRequest, TokenCountResult } from '../../types/token-count.js';
import type { CallSignal } from '../call-signal.js';
import { endNativeStream, eventJson, inBandReply, nativeStream } from '../native/native-stream.js';
import { postNative, readNativeJson, readNativeTokenCount } from '../native/post-native.js';
import { type OpenAINativeTarget, openAINativePost } from './openai-native-post.js';
import { type OpenAIResponseObject, openAIResponsesResult } from './openai-responses-result.js';
import { openAIResponsesStreamError } from './openai-responses-stream-error.js';
import { type OpenAIResponsesEvent, OpenAIResponsesStreamReader } from './openai-responses-stream-reader.js';

type NativeResponsesRequest = ChatRequest & { native: NativeBody };

/** A Responses API body sent as the caller wrote it (but for `model`): its answer comes back whole. */
export async function openAIResponsesChat(
  target: OpenAINativeTarget,
  request: NativeResponsesRequest,
  call: CallSignal,
): Promise<ChatResult> {
  const response = await postNative(openAINativePost(target, request, call, '/responses'));
  const { json, reply } = await readNativeJson(response, target.provider, call, [target.apiKey]);
  return {
    ...openAIResponsesResult(json as OpenAIResponseObject, target.provider, request.model),
    native: reply,
  };
}

/**
 * A streamed Responses API call, its SSE bytes passed on as received while their text and
 * usage are read; its `finish` carries the final Response (`nativeResult`).
 */
export async function* openAIResponsesStream(
  target: OpenAINativeTarget,
  request: NativeResponsesRequest,
  call: CallSignal,
): AsyncGenerator<ChatStreamPart> {
  const response = await postNative(openAINativePost(target, request, call, '/responses'));
  const reader = new OpenAIResponsesStreamReader(request.model);
  let failure: { code?: string; message?: string; raw: string } | undefined;
  const parts = nativeStream(
    response.body,
    (event) => {
      const data = eventJson(event.data);
      if (!data) return [];
      const type = data.type ?? event.event;
      // A failure mid-stream: `response.failed` (its response says why) or an `error` event.
      if (type === 'response.failed' || type === 'error') {
        const error =
          type === 'error' ? (data.error ?? data) : (data.response as OpenAIResponseObject)?.error;
        failure ??= { ...failureOf(error), raw: event.data };
        return [];
      }
      // The type is in the data; a server that names it only on the `event:` line still gets read.
      return reader.read((data.type === undefined ? { ...data, type } : data) as OpenAIResponsesEvent);
    },
    { type: 'start', model: request.model },
    [target.apiKey],
  );
  yield* endNativeStream(parts, {
    provider: target.provider,
    call,
    // The caller has the upstream's own event already; this tells the gateway.
    failure: () =>
      failure &&
      openAIResponsesStreamError(failure, target.provider, inBandReply('openai-responses', failure.raw)),
    last: () => (reader.finished ? 'already-finished' : undefined),
    cutMessage: 'the stream ended before the response completed',
  });
}

/** `POST /responses/input_tokens` with the caller's body (but for `model`): the provider's own count. */
export async function openAIResponsesCountTokens(
  target: OpenAINativeTarget,
  request: TokenCountRequest,
  call: CallSignal,
): Promise<TokenCountResult> {
  const response = await postNative(openAINativePost(target, request, call, '/responses/input_tokens'));
  return readNativeTokenCount(response, target, request.model, call);
}

/** The `code` and `message` of an error object, where they are strings. */
function failureOf(error: unknown): { code?: string; message?: string } {
  const { code, message } = (error && typeof error === 'object' ? error : {}) as Record<string, unknown>;
  return {
    ...(typeof code === 'string' ? { code } : {}),
    ...(typeof message === 'string' ? { message } : {}),
  };
}
