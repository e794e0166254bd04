import type { FakeHandler, FakeReply, RecordedRequest } from './fake-upstream.js';

/** A tool call the fake model makes. */
export interface AnthropicFakeToolCall {
  id: string;
  name: string;
  input: Record<string, unknown>;
}

/** What the fake Anthropic server answers with. */
export interface AnthropicFakeOptions {
  /** Text of every answer (default: a fixed sentence; none when there are tool calls). */
  text?: string;
  /** Thinking text, sent first as a `thinking` block. */
  thinking?: string;
  toolCalls?: AnthropicFakeToolCall[];
  /** Counts over DEFAULT_ANTHROPIC_USAGE; `null` values are sent as null. */
  usage?: Record<string, unknown>;
  /** Default: `tool_use` with tool calls, else `end_turn`. */
  stopReason?: string;
  /** Model name to report (default: the requested one). */
  model?: string;
  id?: string;
  /** Characters per streamed text or JSON delta. */
  chunkSize?: number;
  /** Delay between stream events, in ms. */
  eventDelayMs?: number;
  /** Whether `message_delta` repeats the input and cache counts (API 2026-10-21) or sends null. */
  deltaRepeatsInput?: boolean;
  /** The only key accepted (default: any non-empty key). */
  apiKey?: string;
  /** Model ids for `GET /v1/models`. */
  models?: string[];
  /** What `POST /v1/messages/count_tokens` answers (default: a fixed count per character of the prompt). */
  inputTokens?: number;
}

/** A usage block as Anthropic sends it, with cache reads and writes. */
export const DEFAULT_ANTHROPIC_USAGE = {
  input_tokens: 25,
  cache_creation_input_tokens: 1200,
  cache_read_input_tokens: 3000,
  cache_creation: { ephemeral_5m_input_tokens: 1200, ephemeral_1h_input_tokens: 0 },
  output_tokens: 12,
  output_tokens_details: { thinking_tokens: 0 },
  server_tool_use: null,
  service_tier: 'standard',
  inference_geo: 'global',
  speed: 'standard',
};

const DEFAULT_TEXT = 'Hello from the fake upstream.';
const DEFAULT_ID = 'msg_01FakeUpstreamXYZ';

/**
 * A FakeHandler speaking Anthropic's wire format (API 2026-10-21): `POST /v1/messages`
 * as a JSON Message or as named SSE events, `GET /v1/models`, and error bodies. Like the
 * real API it wants a key and `anthropic-version`, and rejects sampling parameters.
 */
export function anthropicFake(options: AnthropicFakeOptions = {}): FakeHandler {
  return (request: RecordedRequest): FakeReply => {
    const path = request.path.replace(/\?.*$/, '');
    const denied = checkHeaders(request, options);
    if (denied) return denied;
    if (request.method === 'GET' && path === '/v1/models') return modelsPage(request, options);
    if (request.method === 'POST' && path === '/v1/messages/count_tokens') {
      const body = (request.body ?? {}) as Record<string, unknown>;
      if (typeof body.model !== 'string')
        return anthropicError(400, 'invalid_request_error', 'model: Field required');
      if (!Array.isArray(body.messages)) {
        return anthropicError(400, 'invalid_request_error', 'messages: Field required');
      }
      return { kind: 'json', body: { input_tokens: options.inputTokens ?? fakeTokenCount(body) } };
    }
    if (request.method === 'POST' && path === '/v1/messages') {
      const body = (request.body ?? {}) as Record<string, unknown>;
      const invalid = checkBody(body);
      if (invalid) return anthropicError(400, 'invalid_request_error', invalid);
      const model = options.model ?? String(body.model);
      if (!body.stream) return { kind: 'json', body: anthropicMessage(options, model) };
      return {
        kind: 'sse',
        events: anthropicStreamEvents(options, model),
        eventDelayMs: options.eventDelayMs,
      };
    }
    return anthropicError(404, 'not_found_error', `Not found: ${request.method} ${path}`);
  };
}

/** An error reply in Anthropic's format. */
export function anthropicError(
  status: number,
  type: string,
  message: string,
  headers?: Record<string, string>,
): FakeReply {
  return {
    kind: 'json',
    status,
    headers: { 'request-id': 'req_01FakeError', ...headers },
    body: { type: 'error', error: { type, message }, request_id: 'req_01FakeError' },
  };
}

/** One SSE event's text, as Anthropic frames it. */
export function anthropicSseEvent(name: string, data: unknown): string {
  return `event: ${name}\ndata: ${JSON.stringify(data)}`;
}

/** The `event: error` Anthropic sends inside a 200 stream (e.g. `overloaded_error`). */
export function anthropicStreamErrorEvent(type: string, message: string): string {
  return anthropicSseEvent('error', { type: 'error', error: { type, message } });
}

/** The non-streaming Message for these options. */
export function anthropicMessage(options: AnthropicFakeOptions, model: string): Record<string, unknown> {
  const content: unknown[] = [];
  if (options.thinking !== undefined) {
    content.push({ type: 'thinking', thinking: options.thinking, signature: 'EqQBCkYIBxgCKkDfake' });
  }
  const text = textOf(options);
  if (text) content.push({ type: 'text', text, citations: null });
  for (const call of options.toolCalls ?? []) content.push({ ...toolUseBlock(call), input: call.input });
  return { ...messageShell(options, model, stopReasonOf(options)), content, usage: usageOf(options) };
}

/** The SSE events of a streamed answer for these options, `message_start` to `message_stop`. */
export function anthropicStreamEvents(options: AnthropicFakeOptions, model: string): string[] {
  const size = options.chunkSize ?? 8;
  const usage = usageOf(options);
  const events = [
    anthropicSseEvent('message_start', {
      type: 'message_start',
      // At the start: the input counts, and the first few output tokens.
      message: { ...messageShell(options, model, null), content: [], usage: { ...usage, output_tokens: 1 } },
    }),
  ];
  let index = 0;
  const block = (start: unknown, deltas: unknown[]) => {
    events.push(
      anthropicSseEvent('content_block_start', { type: 'content_block_start', index, content_block: start }),
    );
    if (index === 0) events.push(anthropicSseEvent('ping', { type: 'ping' }));
    for (const delta of deltas) {
      events.push(anthropicSseEvent('content_block_delta', { type: 'content_block_delta', index, delta }));
    }
    events.push(anthropicSseEvent('content_block_stop', { type: 'content_block_stop', index }));
    index++;
  };
  if (options.thinking !== undefined) {
    block({ type: 'thinking', thinking: '', signature: '' }, [
      ...chunks(options.thinking, size).map((thinking) => ({ type: 'thinking_delta', thinking })),
      { type: 'signature_delta', signature: 'EqQBCkYIBxgCKkDfake' },
    ]);
  }
  const text = textOf(options);
  if (text)
    block(
      { type: 'text', text: '' },
      chunks(text, size).map((t) => ({ type: 'text_delta', text: t })),
    );
  for (const call of options.toolCalls ?? []) {
    // Like the API: the input starts empty and arrives as JSON text, the first delta empty.
    const json = JSON.stringify(call.input);
    block({ ...toolUseBlock(call), input: {} }, [
      { type: 'input_json_delta', partial_json: '' },
      ...chunks(json, size).map((partial_json) => ({ type: 'input_json_delta', partial_json })),
    ]);
  }
  const repeat = options.deltaRepeatsInput ?? true;
  events.push(
    anthropicSseEvent('message_delta', {
      type: 'message_delta',
      delta: { stop_reason: stopReasonOf(options), stop_sequence: null, stop_details: null, container: null },
      usage: {
        input_tokens: repeat ? usage.input_tokens : null,
        cache_creation_input_tokens: repeat ? usage.cache_creation_input_tokens : null,
        cache_read_input_tokens: repeat ? usage.cache_read_input_tokens : null,
        output_tokens: usage.output_tokens,
        output_tokens_details: usage.output_tokens_details ?? null,
        server_tool_use: null,
      },
    }),
    anthropicSseEvent('message_stop', { type: 'message_stop' }),
  );
  return events;
}

function messageShell(options: AnthropicFakeOptions, model: string, stopReason: string | null) {
  return {
    id: options.id ?? DEFAULT_ID,
    type: 'message',
    role: 'assistant',
    model,
    stop_reason: stopReason,
    stop_sequence: null,
    stop_details: null,
    container: null,
    diagnostics: null,
  };
}

function toolUseBlock(call: AnthropicFakeToolCall) {
  return { type: 'tool_use', id: call.id, name: call.name, caller: { type: 'direct' } };
}

function textOf(options: AnthropicFakeOptions): string {
  return options.text ?? (options.toolCalls?.length ? '' : DEFAULT_TEXT);
}

function stopReasonOf(options: AnthropicFakeOptions): string {
  return options.stopReason ?? (options.toolCalls?.length ? 'tool_use' : 'end_turn');
}

function usageOf(options: AnthropicFakeOptions): Record<string, unknown> & typeof DEFAULT_ANTHROPIC_USAGE {
  return { ...DEFAULT_ANTHROPIC_USAGE, ...options.usage };
}

function chunks(text: string, size: number): string[] {
  const parts: string[] = [];
  for (let i = 0; i < text.length; i += size) parts.push(text.slice(i, i + size));
  return parts;
}

function checkHeaders(request: RecordedRequest, options: AnthropicFakeOptions): FakeReply | undefined {
  const header = (name: string) => {
    const value = request.headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  // API 2026-10-21 takes the key as a bearer token or as x-api-key (which wins when both are sent).
  const key = header('x-api-key') ?? header('authorization')?.replace(/^Bearer\s+/i, '');
  if (!key || (options.apiKey !== undefined && key !== options.apiKey)) {
    return anthropicError(401, 'authentication_error', 'invalid x-api-key');
  }
  if (!header('anthropic-version')) {
    return anthropicError(400, 'invalid_request_error', 'anthropic-version: header is required');
  }
  return undefined;
}

function checkBody(body: Record<string, unknown>): string | undefined {
  if (typeof body.model !== 'string') return 'model: Field required';
  if (typeof body.max_tokens !== 'number') return 'max_tokens: Field required';
  if (!Array.isArray(body.messages)) return 'messages: Field required';
  // API 2026-10-21 removed the sampling parameters, and rejects them even at their defaults.
  for (const field of ['temperature', 'top_p', 'top_k']) {
    if (field in body) return `${field}: Extra inputs are not permitted`;
  }
  return undefined;
}

function modelsPage(request: RecordedRequest, options: AnthropicFakeOptions): FakeReply {
  const limit = Number(new URL(request.path, 'http://fake').searchParams.get('limit') ?? 20);
  const ids = (options.models ?? ['claude-sonnet-5-5', 'claude-haiku-5-5']).slice(0, limit);
  const data = ids.map((id) => ({
    type: 'model',
    id,
    display_name: id,
    created_at: '2026-09-01T00:00:00Z',
    capabilities: null,
    deprecated_at: null,
    retires_at: null,
    lifecycle: 'active',
    line: null,
    max_input_tokens: 200_000,
    max_tokens: 64_000,
  }));
  return {
    kind: 'json',
    body: { data, has_more: false, first_id: ids[0] ?? null, last_id: ids.at(-1) ?? null },
  };
}

/** A stand-in count, stable for a given prompt: one token per four characters of its JSON. */
function fakeTokenCount(body: Record<string, unknown>): number {
  const { system, messages, tools } = body;
  return Math.ceil(JSON.stringify([system, messages, tools]).length / 4);
}
