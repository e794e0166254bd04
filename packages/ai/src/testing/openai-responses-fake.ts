import { randomBytes } from 'node:crypto';
import type { FakeReply, RecordedRequest } from './fake-upstream.js';
import { openAIError } from './openai-fake.js';

/** What the fake Responses API answers with. */
export interface OpenAIResponsesFakeOptions {
  /** Text of every answer (default: a fixed sentence; none when there are tool calls). */
  text?: string;
  /** Function calls to make instead of (or with) text; `id` is the call's `call_id`. */
  toolCalls?: { id: string; name: string; arguments: string }[];
  /** A reasoning summary, sent first as a `reasoning` item (with `encrypted_content`). */
  reasoning?: string;
  /** The usage block (default DEFAULT_OPENAI_RESPONSES_USAGE); `null` leaves it out. */
  usage?: Record<string, unknown> | null;
  /** How the response ends (default `completed`; `incomplete` with `incomplete` set). */
  status?: 'completed' | 'incomplete' | 'failed';
  /** Why the response is incomplete; sets `status` to `incomplete`. */
  incomplete?: 'max_output_tokens' | 'content_filter';
  /** Model name to report (default: the requested one). */
  model?: string;
  /** Characters per streamed text or reasoning delta. */
  chunkSize?: number;
  /** Delay between stream events, in ms. */
  eventDelayMs?: number;
  /** What `POST /v1/responses/input_tokens` answers (default: a fixed count per character of the prompt). */
  inputTokens?: number;
}

/** A usage block in the Responses API's format. */
export const DEFAULT_OPENAI_RESPONSES_USAGE = {
  input_tokens: 36,
  input_tokens_details: { cached_tokens: 0, cache_write_tokens: 0 },
  output_tokens: 87,
  output_tokens_details: { reasoning_tokens: 0 },
  total_tokens: 123,
};

const DEFAULT_TEXT = 'Hello from the fake upstream.';

type Json = Record<string, unknown>;

/**
 * A FakeHandler speaking OpenAI's Responses API: `POST /v1/responses` as a Response
 * object (JSON) or as its typed SSE events (`response.created` … `response.completed`,
 * each with its `sequence_number`), and `POST /v1/responses/input_tokens`. It takes any
 * body naming a model (`previous_response_id` and `item_reference` inputs included: the
 * former is echoed) and stores nothing. `openAIFake` hands it every `/responses` path.
 */
export function openAIResponsesFake(
  options: OpenAIResponsesFakeOptions = {},
): (request: RecordedRequest) => FakeReply {
  return (request: RecordedRequest): FakeReply => {
    const body = (request.body ?? {}) as Json;
    const path = request.path.replace(/\?.*$/, '');
    if (request.method === 'POST' && /\/responses(\/input_tokens)?$/.test(path)) {
      if (typeof body.model !== 'string' || !body.model) {
        return openAIError(
          400,
          'invalid_request_error',
          "Missing required parameter: 'model'.",
          {},
          'missing_required_parameter',
        );
      }
      if (path.endsWith('/input_tokens')) {
        return {
          kind: 'json',
          body: {
            object: 'response.input_tokens',
            input_tokens: options.inputTokens ?? fakeTokenCount(body),
          },
        };
      }
      const answer = new FakeResponse(body, options);
      if (body.stream) return { kind: 'sse', events: answer.events(), eventDelayMs: options.eventDelayMs };
      if (answer.status === 'failed') {
        return openAIError(500, 'server_error', 'The server had an error while processing your request.');
      }
      return { kind: 'json', body: answer.response(answer.status, answer.outputDone()) };
    }
    const id = /\/responses\/([^/]+)/.exec(path)?.[1];
    return id
      ? openAIError(404, 'invalid_request_error', `No response found with id '${id}'.`)
      : openAIError(404, 'invalid_request_error', `Unknown path ${path}`);
  };
}

/** A stable stand-in for a token count: a token per four characters of the prompt. */
function fakeTokenCount(body: Json): number {
  const { instructions, input, tools } = body;
  return Math.ceil(JSON.stringify([instructions ?? null, input ?? null, tools ?? null]).length / 4);
}

const hex = (bytes: number) => randomBytes(bytes).toString('hex');

/** One answer of the fake: its ids, items and events, built from the request and the options. */
class FakeResponse {
  readonly id = `resp_${hex(24)}`;
  readonly createdAt = Math.floor(Date.now() / 1000);
  readonly status: 'completed' | 'incomplete' | 'failed';
  private readonly model: string;
  private readonly text: string;
  private readonly reasoningId = `rs_${hex(24)}`;
  private readonly messageId = `msg_${hex(24)}`;
  private readonly callIds: string[];
  private sequence = 0;

  constructor(
    private readonly body: Json,
    private readonly options: OpenAIResponsesFakeOptions,
  ) {
    this.status = options.incomplete ? 'incomplete' : (options.status ?? 'completed');
    this.model = options.model ?? String(body.model);
    this.text = options.toolCalls && options.text === undefined ? '' : (options.text ?? DEFAULT_TEXT);
    this.callIds = (options.toolCalls ?? []).map(() => `fc_${hex(24)}`);
  }

  /** The Response object with this status and output. */
  response(status: string, output: Json[]): Json {
    const body = this.body;
    const usage =
      this.options.usage === null ? undefined : (this.options.usage ?? DEFAULT_OPENAI_RESPONSES_USAGE);
    const final = status === 'completed' || status === 'incomplete' || status === 'failed';
    const reasoning = (body.reasoning ?? {}) as Json;
    return {
      id: this.id,
      object: 'response',
      created_at: this.createdAt,
      status,
      background: body.background ?? false,
      completed_at: status === 'completed' ? this.createdAt + 1 : null,
      error:
        status === 'failed'
          ? { code: 'server_error', message: 'The server had an error while processing your request.' }
          : null,
      incomplete_details:
        status === 'incomplete' ? { reason: this.options.incomplete ?? 'max_output_tokens' } : null,
      instructions: body.instructions ?? null,
      max_output_tokens: body.max_output_tokens ?? null,
      max_tool_calls: body.max_tool_calls ?? null,
      model: this.model,
      output,
      parallel_tool_calls: body.parallel_tool_calls ?? true,
      previous_response_id: body.previous_response_id ?? null,
      prompt_cache_key: body.prompt_cache_key ?? null,
      reasoning: { effort: reasoning.effort ?? null, summary: reasoning.summary ?? null },
      safety_identifier: body.safety_identifier ?? null,
      service_tier: 'default',
      store: body.store ?? true,
      temperature: body.temperature ?? 1,
      text: body.text ?? { format: { type: 'text' }, verbosity: 'medium' },
      tool_choice: body.tool_choice ?? 'auto',
      tools: body.tools ?? [],
      top_logprobs: body.top_logprobs ?? 0,
      top_p: body.top_p ?? 1,
      truncation: body.truncation ?? 'disabled',
      ...(final && usage ? { usage } : {}),
      ...(typeof body.user === 'string' ? { user: body.user } : {}),
      metadata: body.metadata ?? {},
    };
  }

  /** The output items as they stand when done. */
  outputDone(): Json[] {
    const items: Json[] = [];
    if (this.options.reasoning !== undefined) items.push(this.reasoningItem(this.options.reasoning, true));
    if (this.text)
      items.push(this.messageItem(this.text, this.status === 'incomplete' ? 'incomplete' : 'completed'));
    for (const [i, call] of (this.options.toolCalls ?? []).entries()) {
      items.push(this.callItem(i, call.arguments, 'completed'));
    }
    return items;
  }

  /** The full event sequence of a streamed answer, each as `event:` and `data:` lines. */
  events(): string[] {
    const out: string[] = [];
    const emit = (type: string, data: Json) =>
      out.push(
        `event: ${type}\ndata: ${JSON.stringify({ type, ...data, sequence_number: this.sequence++ })}`,
      );
    emit('response.created', { response: this.response('in_progress', []) });
    emit('response.in_progress', { response: this.response('in_progress', []) });
    const done: Json[] = [];
    const size = this.options.chunkSize ?? 5;
    if (this.options.reasoning !== undefined) {
      const text = this.options.reasoning;
      const at = { item_id: this.reasoningId, output_index: done.length };
      const part = { ...at, summary_index: 0 };
      emit('response.output_item.added', {
        output_index: at.output_index,
        item: this.reasoningItem(text, false),
      });
      emit('response.reasoning_summary_part.added', { ...part, part: { type: 'summary_text', text: '' } });
      for (const delta of chunks(text, size))
        emit('response.reasoning_summary_text.delta', { ...part, delta });
      emit('response.reasoning_summary_text.done', { ...part, text });
      emit('response.reasoning_summary_part.done', { ...part, part: { type: 'summary_text', text } });
      const item = this.reasoningItem(text, true);
      emit('response.output_item.done', { output_index: at.output_index, item });
      done.push(item);
    }
    if (this.text) {
      const at = { item_id: this.messageId, output_index: done.length };
      const part = { ...at, content_index: 0 };
      emit('response.output_item.added', {
        output_index: at.output_index,
        item: this.messageItem('', 'in_progress'),
      });
      emit('response.content_part.added', { ...part, part: outputText('') });
      for (const delta of chunks(this.text, size))
        emit('response.output_text.delta', { ...part, delta, logprobs: [] });
      emit('response.output_text.done', { ...part, text: this.text, logprobs: [] });
      emit('response.content_part.done', { ...part, part: outputText(this.text) });
      const item = this.messageItem(this.text, this.status === 'incomplete' ? 'incomplete' : 'completed');
      emit('response.output_item.done', { output_index: at.output_index, item });
      done.push(item);
    }
    for (const [i, call] of (this.options.toolCalls ?? []).entries()) {
      const at = { item_id: this.callIds[i], output_index: done.length };
      emit('response.output_item.added', {
        output_index: at.output_index,
        item: this.callItem(i, '', 'in_progress'),
      });
      const half = Math.ceil(call.arguments.length / 2);
      for (const delta of [call.arguments.slice(0, half), call.arguments.slice(half)]) {
        if (delta) emit('response.function_call_arguments.delta', { ...at, delta });
      }
      emit('response.function_call_arguments.done', { ...at, name: call.name, arguments: call.arguments });
      const item = this.callItem(i, call.arguments, 'completed');
      emit('response.output_item.done', { output_index: at.output_index, item });
      done.push(item);
    }
    emit(`response.${this.status}`, { response: this.response(this.status, done) });
    return out;
  }

  private reasoningItem(text: string, complete: boolean): Json {
    return complete
      ? {
          id: this.reasoningId,
          type: 'reasoning',
          summary: [{ type: 'summary_text', text }],
          encrypted_content: `gAAAAB${Buffer.from(`fake reasoning ${this.reasoningId}`).toString('base64')}`,
        }
      : { id: this.reasoningId, type: 'reasoning', summary: [] };
  }

  private messageItem(text: string, status: string): Json {
    return {
      id: this.messageId,
      type: 'message',
      status,
      content: status === 'in_progress' ? [] : [outputText(text)],
      role: 'assistant',
    };
  }

  private callItem(i: number, args: string, status: string): Json {
    const call = this.options.toolCalls?.[i];
    return {
      id: this.callIds[i],
      type: 'function_call',
      status,
      arguments: args,
      call_id: call?.id,
      name: call?.name,
    };
  }
}

function outputText(text: string): Json {
  return { type: 'output_text', annotations: [], logprobs: [], text };
}

function chunks(text: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}
