import type { FakeHandler, FakeReply, RecordedRequest } from './fake-upstream.js';
import { type OpenAIMediaFakeOptions, openAIMediaFake } from './openai-media-fake.js';
import { type OpenAIResponsesFakeOptions, openAIResponsesFake } from './openai-responses-fake.js';

/** What the fake OpenAI-format server answers with. */
export interface OpenAIFakeOptions {
  /** Text of every answer (default: a fixed sentence). */
  text?: string;
  /** Tool calls to make instead of (or with) text. */
  toolCalls?: { id: string; name: string; arguments: string }[];
  /** The usage block; `null` leaves it out (a server that reports none). */
  usage?: Record<string, unknown> | null;
  /** Model name to report (default: the requested one). */
  model?: string;
  /** Where a stream's usage goes: the standard usage chunk, or Groq's `x_groq`. */
  streamUsageStyle?: 'include_usage' | 'x_groq';
  /** Characters per streamed text chunk. */
  chunkSize?: number;
  /** Delay between stream events, in ms. */
  eventDelayMs?: number;
  /**
   * The Responses API's own options (`reasoning`, its `usage`, `incomplete`...), over
   * `text`, `toolCalls`, `model`, `chunkSize` and `eventDelayMs` taken from these.
   */
  responses?: OpenAIResponsesFakeOptions;
  /** The media endpoints' options (images, transcriptions, translations, speech). */
  media?: OpenAIMediaFakeOptions;
}

/** A usage block in OpenAI's format. */
export const DEFAULT_OPENAI_USAGE = {
  prompt_tokens: 21,
  completion_tokens: 9,
  total_tokens: 30,
  prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
  completion_tokens_details: {
    reasoning_tokens: 0,
    audio_tokens: 0,
    accepted_prediction_tokens: 0,
    rejected_prediction_tokens: 0,
  },
};

const CREATED = 1_763_000_000;

/**
 * A FakeHandler speaking OpenAI's wire format: `POST /v1/chat/completions` (JSON, or SSE
 * chunks ending in `data: [DONE]`, with the usage chunk when `stream_options.include_usage`
 * is set), `POST /v1/embeddings`, `GET /v1/models`, and the Responses API's paths
 * (`/v1/responses…`, answered by `openAIResponsesFake`), and the media endpoints
 * (`/v1/images/generations`, `/v1/audio/{transcriptions,translations,speech}`, answered
 * by `openAIMediaFake`).
 */
export function openAIFake(options: OpenAIFakeOptions = {}): FakeHandler {
  const { text, toolCalls, model, chunkSize, eventDelayMs } = options;
  const responses = openAIResponsesFake({
    ...(text !== undefined ? { text } : {}),
    ...(toolCalls ? { toolCalls } : {}),
    ...(model !== undefined ? { model } : {}),
    ...(chunkSize !== undefined ? { chunkSize } : {}),
    ...(eventDelayMs !== undefined ? { eventDelayMs } : {}),
    ...options.responses,
  });
  const media = openAIMediaFake(options.media);
  return (request: RecordedRequest): FakeReply => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const path = request.path.replace(/\?.*$/, '');
    if (/\/responses(\/|$)/.test(path)) return responses(request);
    if (/\/(images\/generations|audio\/(transcriptions|translations|speech))$/.test(path))
      return media(request);
    if (request.method === 'GET' && path.endsWith('/models')) {
      return {
        kind: 'json',
        body: {
          object: 'list',
          data: [{ id: 'gpt-4o-mini', object: 'model', created: CREATED, owned_by: 'openai' }],
        },
      };
    }
    if (path.endsWith('/embeddings')) return embeddings(body, options);
    if (path.endsWith('/chat/completions')) {
      return body.stream ? chatStream(body, options) : chatCompletion(body, options);
    }
    return openAIError(404, 'invalid_request_error', `Unknown path ${path}`);
  };
}

/** An error reply in OpenAI's format. */
export function openAIError(
  status: number,
  type: string,
  message: string,
  headers?: Record<string, string>,
  code?: string,
): FakeReply {
  return {
    kind: 'json',
    status,
    headers,
    body: { error: { message, type, param: null, code: code ?? null } },
  };
}

function usageOf(options: OpenAIFakeOptions): Record<string, unknown> | undefined {
  return options.usage === null ? undefined : (options.usage ?? DEFAULT_OPENAI_USAGE);
}

function chatCompletion(body: Record<string, unknown>, options: OpenAIFakeOptions): FakeReply {
  const toolCalls = options.toolCalls?.map((c) => ({
    id: c.id,
    type: 'function',
    function: { name: c.name, arguments: c.arguments },
  }));
  const usage = usageOf(options);
  return {
    kind: 'json',
    body: {
      id: 'chatcmpl-fake123',
      object: 'chat.completion',
      created: CREATED,
      model: options.model ?? body.model,
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content:
              toolCalls && options.text === undefined
                ? null
                : (options.text ?? 'Hello from the fake upstream.'),
            refusal: null,
            annotations: [],
            ...(toolCalls ? { tool_calls: toolCalls } : {}),
          },
          logprobs: null,
          finish_reason: toolCalls ? 'tool_calls' : 'stop',
        },
      ],
      ...(usage ? { usage } : {}),
      service_tier: 'default',
      system_fingerprint: 'fp_fake',
    },
  };
}

function chatStream(body: Record<string, unknown>, options: OpenAIFakeOptions): FakeReply {
  const model = options.model ?? (body.model as string);
  const chunk = (
    delta: Record<string, unknown>,
    finish: string | null = null,
    extra: Record<string, unknown> = {},
  ) =>
    `data: ${JSON.stringify({
      id: 'chatcmpl-fake123',
      object: 'chat.completion.chunk',
      created: CREATED,
      model,
      system_fingerprint: 'fp_fake',
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
      ...extra,
    })}`;
  const events = [chunk({ role: 'assistant', content: '', refusal: null })];
  const text =
    options.toolCalls && options.text === undefined ? '' : (options.text ?? 'Hello from the fake upstream.');
  const size = options.chunkSize ?? 5;
  for (let i = 0; i < text.length; i += size) events.push(chunk({ content: text.slice(i, i + size) }));
  for (const [index, call] of (options.toolCalls ?? []).entries()) {
    events.push(
      chunk({
        tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } }],
      }),
    );
    const half = Math.ceil(call.arguments.length / 2);
    for (const part of [call.arguments.slice(0, half), call.arguments.slice(half)]) {
      if (part) events.push(chunk({ tool_calls: [{ index, function: { arguments: part } }] }));
    }
  }
  const usage = usageOf(options);
  const finish = options.toolCalls ? 'tool_calls' : 'stop';
  if (options.streamUsageStyle === 'x_groq') {
    events.push(chunk({}, finish, usage ? { x_groq: { id: 'req_fake', usage } } : {}));
  } else {
    events.push(chunk({}, finish));
    const wantsUsage = (body.stream_options as { include_usage?: boolean } | undefined)?.include_usage;
    if (wantsUsage && usage) {
      events.push(
        `data: ${JSON.stringify({ id: 'chatcmpl-fake123', object: 'chat.completion.chunk', created: CREATED, model, system_fingerprint: 'fp_fake', choices: [], usage })}`,
      );
    }
  }
  events.push('data: [DONE]');
  return { kind: 'sse', events, eventDelayMs: options.eventDelayMs };
}

function embeddings(body: Record<string, unknown>, options: OpenAIFakeOptions): FakeReply {
  const inputs = Array.isArray(body.input) ? (body.input as string[]) : [String(body.input)];
  const dims = (body.dimensions as number | undefined) ?? 4;
  const tokens = inputs.reduce((n, s) => n + Math.max(1, Math.ceil(s.length / 4)), 0);
  return {
    kind: 'json',
    body: {
      object: 'list',
      // Reversed on purpose: clients must order by `index`, not by position.
      data: inputs
        .map((s, index) => ({
          object: 'embedding',
          index,
          embedding: Array.from({ length: dims }, (_, d) => (s.length + d) / 100),
        }))
        .reverse(),
      model: options.model ?? body.model,
      usage: { prompt_tokens: tokens, total_tokens: tokens },
    },
  };
}
