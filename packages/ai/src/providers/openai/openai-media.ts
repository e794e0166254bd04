import { createParser } from 'eventsource-parser';
import { FormData } from 'undici';
import { AIError, cutSecrets } from '../../errors/ai-error.js';
import { AbortedError, UpstreamError } from '../../errors/errors.js';
import type { MediaKind, MediaOutcome, MediaRequest, MediaResult, MediaUnits } from '../../types/media.js';
import { type TokenUsage, unknownUsage } from '../../types/token-usage.js';
import { requestedUnits } from '../../usage/media-units.js';
import type { CallSignal } from '../call-signal.js';
import { withForwardedHeaders } from '../native/forwarded-headers.js';
import { joinUrl } from '../native/native-request-body.js';
import { headerValue, type NativePost, postNative, transportError } from '../native/post-native.js';
import type { OpenAINativeTarget } from './openai-native-post.js';
import { knownCount, usageFromOpenAICounts } from './openai-usage-counts.js';

/** Where each media call goes at an OpenAI-format API. */
export const OPENAI_MEDIA_PATHS: Record<MediaKind, string> = {
  image: '/images/generations',
  transcription: '/audio/transcriptions',
  translation: '/audio/translations',
  speech: '/audio/speech',
};

/**
 * A media call to an OpenAI-format API (OpenAI, Groq, Gemini's OpenAI endpoint): the
 * caller's fields as they are but `model`, as JSON (images, speech) or as a multipart form
 * with the file sent from disk (audio); the gateway's key. The answer goes back as the
 * provider sent it; what it used is read from it in passing: the images made, the audio's
 * seconds (`usage.seconds`, `duration`, else the file's own length), the characters
 * spoken, and the tokens where reported. `call` is released once the answer has been read.
 */
export async function openAIMedia(
  target: OpenAINativeTarget,
  request: MediaRequest,
  call: CallSignal,
): Promise<MediaResult> {
  let response: Awaited<ReturnType<typeof postNative>>;
  try {
    response = await postNative(mediaPost(target, request, call));
  } catch (error) {
    call.release();
    throw error;
  }
  const contentType = headerValue(response.headers['content-type']) ?? 'application/octet-stream';
  const base = { provider: target.provider, model: request.model, contentType };
  const mime = contentType.split(';', 1)[0]?.trim().toLowerCase() ?? '';
  if (mime === 'text/event-stream') {
    return { ...base, streamed: true, ...relayEvents(response.body, request, target, call) };
  }
  if (request.kind === 'speech') {
    const units = requestedUnits(request);
    return {
      ...base,
      streamed: true,
      ...relay(response.body, target, call, () => ({ usage: unknownUsage(), units })),
    };
  }
  let bytes: Buffer;
  try {
    bytes = await readAll(response.body);
  } catch (error) {
    throw afterAccepted(transportError(error, target.provider, call), target.provider);
  } finally {
    call.release();
  }
  const text = cutSecrets(bytes.toString('utf8'), [target.apiKey]);
  const body = Buffer.from(text, 'utf8');
  let json: unknown;
  if (mime === 'application/json' || mime.endsWith('+json')) {
    try {
      json = JSON.parse(text);
    } catch {
      throw new UpstreamError(`${target.provider}: the answer is not valid JSON`, {
        provider: target.provider,
        retryable: false,
      });
    }
  }
  const outcome = Promise.resolve(usedBy(request, json));
  return { ...base, streamed: false, body: once(body), ...(json === undefined ? {} : { json }), outcome };
}

/** The request to send: JSON, or a multipart form for an upload. */
function mediaPost(target: OpenAINativeTarget, request: MediaRequest, call: CallSignal): NativePost {
  const headers: Record<string, string> = { ...withForwardedHeaders(target.headers, {}) };
  if (target.apiKey) headers.authorization = `Bearer ${target.apiKey}`;
  let body: string | FormData;
  if (request.file) {
    const form = new FormData();
    form.append('file', request.file.blob, request.file.filename);
    form.append('model', request.model);
    for (const [name, value] of Object.entries(request.fields)) {
      for (const item of Array.isArray(value) ? value : [value]) {
        if (item !== undefined && item !== null) form.append(name, String(item));
      }
    }
    body = form;
  } else {
    headers['content-type'] = 'application/json';
    body = JSON.stringify({ ...request.fields, model: request.model });
  }
  return {
    provider: target.provider,
    format: 'openai-chat',
    url: joinUrl(target.baseUrl, OPENAI_MEDIA_PATHS[request.kind]),
    headers,
    body,
    call,
    secrets: [target.apiKey],
  };
}

/** What a whole (JSON or text) answer used: its images, its audio's seconds, its tokens. */
function usedBy(request: MediaRequest, json: unknown): MediaOutcome {
  const answer = (json ?? {}) as { data?: unknown[]; usage?: Record<string, unknown>; duration?: unknown };
  const usage = tokenUsage(answer.usage, request.kind);
  if (request.kind === 'image') {
    const made = Array.isArray(answer.data) ? answer.data.length : undefined;
    return { usage, units: made === undefined ? requestedUnits(request) : { unit: 'image', quantity: made } };
  }
  return { usage, units: audioSeconds(request, answer.usage, answer.duration) };
}

/** The seconds of audio billed: the provider's `usage.seconds`, a verbose answer's `duration`, else the file's length. */
function audioSeconds(
  request: MediaRequest,
  usage: Record<string, unknown> | undefined,
  duration: unknown,
): MediaUnits | undefined {
  const seconds =
    usage?.type === 'duration' && typeof usage.seconds === 'number'
      ? usage.seconds
      : typeof duration === 'number'
        ? duration
        : request.file?.durationSeconds;
  return seconds === undefined ? undefined : { unit: 'second', quantity: seconds };
}

/**
 * OpenAI's usage block of images and audio (`input_tokens`, `output_tokens`, their
 * `input_tokens_details` / `input_token_details`) as a TokenUsage; unknown when absent
 * (or when it counts seconds, not tokens). An image call's output tokens are image tokens,
 * speech's are audio tokens (priced at their own rates where the pricing has them).
 */
export function tokenUsage(block: Record<string, unknown> | undefined, kind: MediaKind): TokenUsage {
  if (!block || typeof block.input_tokens !== 'number' || typeof block.output_tokens !== 'number') {
    return unknownUsage();
  }
  const details = (block.input_tokens_details ?? block.input_token_details ?? {}) as Record<string, unknown>;
  const input = block.input_tokens;
  const output = block.output_tokens;
  const modalities: NonNullable<TokenUsage['modalities']> = {};
  const audioIn = knownCount(details.audio_tokens as number | undefined);
  const imageIn = knownCount(details.image_tokens as number | undefined);
  if (audioIn) modalities.inputAudio = audioIn;
  if (imageIn) modalities.inputImage = imageIn;
  if (kind === 'image' && output) modalities.outputImage = output;
  if (kind === 'speech' && output) modalities.outputAudio = output;
  // These blocks count no cache reads or writes, nor reasoning: unknown, not zero.
  const usage = usageFromOpenAICounts(
    { input, cacheRead: undefined, cacheWrite: undefined, output, reasoning: undefined },
    block,
  );
  return Object.keys(modalities).length ? { ...usage, modalities } : usage;
}

/**
 * Speech's audio (or events), passed on as it comes; its outcome once it has all gone, has
 * failed, or the reader stopped (`return()`, even before the first piece: the call's row,
 * budget and connection never wait on a body nobody reads).
 */
function relay(
  source: AsyncIterable<Uint8Array>,
  target: OpenAINativeTarget,
  call: CallSignal,
  used: () => MediaOutcome,
  onChunk?: (chunk: Uint8Array) => void,
): Pick<MediaResult, 'body' | 'outcome'> {
  let settle: (outcome: MediaOutcome) => void = () => {};
  const outcome = new Promise<MediaOutcome>((resolve) => {
    settle = resolve;
  });
  let settled = false;
  const finish = (error?: unknown) => {
    if (settled) return;
    settled = true;
    call.release();
    settle({ ...used(), ...(error === undefined ? {} : { error }) });
  };
  const upstream = source[Symbol.asyncIterator]();
  const body: AsyncIterableIterator<Uint8Array> = {
    [Symbol.asyncIterator]() {
      return body;
    },
    async next() {
      if (settled) return { done: true, value: undefined };
      try {
        const step = await upstream.next();
        if (step.done) finish();
        else onChunk?.(step.value);
        return step;
      } catch (error) {
        // The provider had accepted the call: another attempt would be paid for twice.
        const failure = afterAccepted(transportError(error, target.provider, call), target.provider);
        finish(failure);
        throw failure;
      }
    },
    async return() {
      finish(
        new AbortedError(`${target.provider}: the caller stopped reading`, { provider: target.provider }),
      );
      await upstream.return?.();
      return { done: true, value: undefined };
    },
  };
  return { body, outcome };
}

/** A failure once the provider had answered 2xx: never retried (the call may be billed). */
function afterAccepted(error: unknown, provider: string): unknown {
  if (error instanceof AIError && !error.retryable) return error;
  return new UpstreamError(
    `${error instanceof Error ? error.message : String(error)} (after the provider accepted the call)`,
    {
      provider,
      retryable: false,
    },
  );
}

/** A streamed transcription (or SSE speech) passed on as it comes, its usage read from the `*.done` event. */
function relayEvents(
  source: AsyncIterable<Uint8Array>,
  request: MediaRequest,
  target: OpenAINativeTarget,
  call: CallSignal,
): Pick<MediaResult, 'body' | 'outcome'> {
  let usage = unknownUsage();
  const parser = createParser({
    onEvent(event) {
      try {
        const data = JSON.parse(event.data) as { type?: string; usage?: Record<string, unknown> };
        // transcript.text.done, speech.audio.done, image_generation.completed
        if (/\.(done|completed)$/.test(data.type ?? '') && data.usage)
          usage = tokenUsage(data.usage, request.kind);
      } catch {
        // Not JSON: passed on as it is, nothing to read.
      }
    },
  });
  const decoder = new TextDecoder();
  return relay(
    source,
    target,
    call,
    () => ({
      usage,
      units:
        request.kind === 'speech' || request.kind === 'image'
          ? requestedUnits(request)
          : audioSeconds(request, usage.raw as never, undefined),
    }),
    (chunk) => parser.feed(decoder.decode(chunk, { stream: true })),
  );
}

async function* once(bytes: Uint8Array): AsyncIterable<Uint8Array> {
  yield bytes;
}

async function readAll(body: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of body) parts.push(Buffer.from(chunk));
  return Buffer.concat(parts);
}
