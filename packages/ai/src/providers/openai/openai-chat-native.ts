import type { ChatCompletion } from 'openai/resources/chat/completions';
import { errorFromStatus } from '../../errors/error-from-status.js';
import type { ChatRequest } from '../../types/chat-request.js';
import type { ChatResult } from '../../types/chat-result.js';
import type { ChatStreamPart } from '../../types/chat-stream-part.js';
import type { NativeBody } from '../../types/native-body.js';
import type { CallSignal } from '../call-signal.js';
import { endNativeStream, eventJson, inBandReply, nativeStream } from '../native/native-stream.js';
import { postNative, readErrorBody, readNativeJson } from '../native/post-native.js';
import { openAIChatResult } from './openai-chat-result.js';
import { type OpenAIChatChunk, OpenAIChatStreamReader } from './openai-chat-stream-reader.js';
import { type OpenAINativeTarget, openAINativePost } from './openai-native-post.js';

export type { OpenAINativeTarget } from './openai-native-post.js';

type NativeChatRequest = ChatRequest & { native: NativeBody };

/** A Chat Completions body sent as the caller wrote it (but for `model`): its answer comes back whole. */
export async function openAINativeChat(
  target: OpenAINativeTarget,
  request: NativeChatRequest,
  call: CallSignal,
): Promise<ChatResult> {
  const response = await postNative(openAINativePost(target, request, call, '/chat/completions'));
  const { json, reply } = await readNativeJson(response, target.provider, call, [target.apiKey]);
  return { ...openAIChatResult(json as ChatCompletion, target.provider, request.model, []), native: reply };
}

/** A streamed Chat Completions call, its SSE bytes passed on as received while their usage is read. */
export async function* openAINativeStream(
  target: OpenAINativeTarget,
  request: NativeChatRequest,
  call: CallSignal,
): AsyncGenerator<ChatStreamPart> {
  const response = await postNative(openAINativePost(target, request, call, '/chat/completions'));
  const reader = new OpenAIChatStreamReader(request.model);
  let failure: string | undefined;
  const parts = nativeStream(
    response.body,
    (event) => {
      const chunk = eventJson(event.data);
      if (!chunk) return [];
      // A failure mid-stream comes as a chunk holding `error` (the SDK raises it).
      if ('error' in chunk && chunk.error) {
        failure = event.data;
        return [];
      }
      return reader.read(chunk as unknown as OpenAIChatChunk);
    },
    { type: 'start', model: request.model },
    [target.apiKey],
  );
  yield* endNativeStream(parts, {
    provider: target.provider,
    call,
    // The caller has the upstream's own error chunk already; this tells the gateway.
    failure: () => (failure === undefined ? undefined : chunkFailure(target.provider, failure)),
    // The usage chunk follows the last choice: the finish comes once the stream has ended.
    last: () => reader.finish(),
    cutMessage: 'the stream ended before the model finished',
  });
}

function chunkFailure(provider: string, failure: string) {
  const { message, code } = readErrorBody(failure);
  return errorFromStatus({
    provider,
    status: 500,
    message: message ?? 'the stream failed',
    upstreamCode: code,
    upstreamReply: inBandReply('openai-chat', failure),
  });
}
