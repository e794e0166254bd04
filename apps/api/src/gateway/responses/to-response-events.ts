import { type ChatStreamPart, type ReasoningPart, scrubSecrets, UpstreamError } from '@aigw/ai';
import { errorBody } from '../../http/error-format.js';
import { type HttpError, toHttpError } from '../../http/http-error.js';
import { newItemId } from './response-ids.js';
import {
  functionCallItem,
  type ItemStatus,
  messageItem,
  outputTextPart,
  reasoningItem,
} from './response-output-items.js';
import {
  finishErrorMessage,
  finishStateOf,
  type ResponseShell,
  type ResponseState,
  responseOf,
} from './response-shell.js';
import { type ResponsesUsage, toResponsesUsage } from './responses-usage.js';

interface MessageState {
  kind: 'message';
  id: string;
  index: number;
  text: string;
  done: boolean;
}

interface ReasoningState {
  kind: 'reasoning';
  id: string;
  index: number;
  /** Blocks closed so far (by their signature, a redacted block, or the item's end). */
  parts: ReasoningPart[];
  /** The block being streamed; `summaryIndex` once its summary part has been opened. */
  block?: { text: string; summaryIndex?: number };
  summaries: number;
  done: boolean;
}

interface CallState {
  kind: 'function_call';
  id: string;
  index: number;
  callId: string;
  name: string;
  arguments: string;
  done: boolean;
}

type ItemState = MessageState | ReasoningState | CallState;

/** One SSE event of the Responses API stream. */
const sse = (type: string, data: Record<string, unknown>) =>
  `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;

/**
 * Our stream parts as the Responses API's typed SSE events: `response.created` and
 * `response.in_progress` (an empty Response), then each output item in order — a
 * reasoning item (a summary part per thinking block, the blocks with their signatures in
 * `encrypted_content`), a message item (one `output_text` part), a function call item per
 * tool call — opened with `output_item.added`, streamed, closed with its `.done` events;
 * last `response.completed` (or `response.incomplete` for a length or content-filter
 * finish) with the full Response, equal to what toResponseObject builds for the same
 * answer. Every event has a `sequence_number` counting from 0.
 *
 * `onFinal` gets the final Response (completed, incomplete or failed) and is awaited
 * before the last event is sent, so the gateway has kept it when the client sees the
 * end; it is called at most once, and not at all when the reader stops early. A failure
 * (the upstream's, a stream cut short, or `onFinal` rejecting for a finished answer) is
 * sent in-band as an `error` event then `response.failed`, items still open left
 * `incomplete`; a rejection of `onFinal` for the failed Response is ignored (log inside it).
 */
export async function* toResponseEvents(
  parts: AsyncIterable<ChatStreamPart>,
  shell: ResponseShell,
  onFinal: (response: Record<string, unknown>) => Promise<void>,
): AsyncIterable<string> {
  let sequence = 0;
  const event = (type: string, data: Record<string, unknown>) =>
    sse(type, { sequence_number: sequence++, ...data });

  const items: ItemState[] = [];
  let current: MessageState | ReasoningState | undefined;
  const calls = new Map<number, CallState>();
  let usage: ResponsesUsage | undefined;
  let finalized = false;

  const added = (item: Record<string, unknown>, index: number) =>
    event('response.output_item.added', { output_index: index, item });

  const closeBlock = (item: ReasoningState, signature?: string): string[] => {
    const block = item.block ?? { text: '' };
    item.block = undefined;
    item.parts.push({
      type: 'reasoning',
      text: block.text,
      ...(signature !== undefined ? { signature } : {}),
    });
    if (block.summaryIndex === undefined) return [];
    const at = { item_id: item.id, output_index: item.index, summary_index: block.summaryIndex };
    return [
      event('response.reasoning_summary_text.done', { ...at, text: block.text }),
      event('response.reasoning_summary_part.done', {
        ...at,
        part: { type: 'summary_text', text: block.text },
      }),
    ];
  };

  const close = (item: ItemState): string[] => {
    if (item.done) return [];
    item.done = true;
    const at = { item_id: item.id, output_index: item.index };
    switch (item.kind) {
      case 'message':
        return [
          event('response.output_text.done', { ...at, content_index: 0, text: item.text, logprobs: [] }),
          event('response.content_part.done', { ...at, content_index: 0, part: outputTextPart(item.text) }),
          event('response.output_item.done', {
            output_index: item.index,
            item: finalItem(item, 'completed'),
          }),
        ];
      case 'reasoning':
        return [
          ...(item.block ? closeBlock(item) : []),
          event('response.output_item.done', {
            output_index: item.index,
            item: finalItem(item, 'completed'),
          }),
        ];
      case 'function_call': {
        const done = finalItem(item, 'completed');
        return [
          event('response.function_call_arguments.done', {
            ...at,
            name: item.name,
            arguments: done.arguments,
          }),
          event('response.output_item.done', { output_index: item.index, item: done }),
        ];
      }
    }
  };

  /** Closes every open item, in output order. */
  const closeAll = (): string[] => {
    const open = items.filter((item) => !item.done);
    current = undefined;
    calls.clear();
    return open.flatMap(close);
  };

  /** The open message item, opened (after closing the others) if need be. */
  function* message(): Generator<string, MessageState> {
    if (current?.kind === 'message') return current;
    yield* closeAll();
    const item: MessageState = {
      kind: 'message',
      id: newItemId('msg'),
      index: items.length,
      text: '',
      done: false,
    };
    items.push(item);
    current = item;
    yield added(
      { id: item.id, type: 'message', role: 'assistant', status: 'in_progress', content: [] },
      item.index,
    );
    yield event('response.content_part.added', {
      item_id: item.id,
      output_index: item.index,
      content_index: 0,
      part: outputTextPart(''),
    });
    return item;
  }

  /** The open reasoning item, opened (after closing the others) if need be. */
  function* reasoning(): Generator<string, ReasoningState> {
    if (current?.kind === 'reasoning') return current;
    yield* closeAll();
    const item: ReasoningState = {
      kind: 'reasoning',
      id: newItemId('rs'),
      index: items.length,
      parts: [],
      summaries: 0,
      done: false,
    };
    items.push(item);
    current = item;
    yield added({ id: item.id, type: 'reasoning', summary: [] }, item.index);
    return item;
  }

  const base = responseOf(shell, { status: 'in_progress', output: [] });
  yield event('response.created', { response: base });
  yield event('response.in_progress', { response: base });
  try {
    for await (const part of parts) {
      switch (part.type) {
        case 'text-delta': {
          if (!part.delta) break;
          const item = yield* message();
          item.text += part.delta;
          yield event('response.output_text.delta', {
            item_id: item.id,
            output_index: item.index,
            content_index: 0,
            delta: part.delta,
            logprobs: [],
          });
          break;
        }
        case 'reasoning-delta': {
          if (!part.delta) break;
          const item = yield* reasoning();
          item.block ??= { text: '' };
          const at = { item_id: item.id, output_index: item.index };
          if (item.block.summaryIndex === undefined) {
            item.block.summaryIndex = item.summaries++;
            yield event('response.reasoning_summary_part.added', {
              ...at,
              summary_index: item.block.summaryIndex,
              part: { type: 'summary_text', text: '' },
            });
          }
          item.block.text += part.delta;
          yield event('response.reasoning_summary_text.delta', {
            ...at,
            summary_index: item.block.summaryIndex,
            delta: part.delta,
          });
          break;
        }
        case 'reasoning-signature':
          yield* closeBlock(yield* reasoning(), part.signature);
          break;
        case 'redacted-reasoning': {
          const item = yield* reasoning();
          if (item.block) yield* closeBlock(item);
          item.parts.push({ type: 'redacted-reasoning', data: part.data });
          break;
        }
        case 'tool-call-start': {
          // Function calls stay open side by side until other output or the end, so a
          // call's arguments still reach it should calls interleave.
          if (current) yield* close(current);
          current = undefined;
          const item: CallState = {
            kind: 'function_call',
            id: newItemId('fc'),
            index: items.length,
            callId: part.id,
            name: part.name,
            arguments: '',
            done: false,
          };
          items.push(item);
          calls.set(part.index, item);
          yield added(
            {
              id: item.id,
              type: 'function_call',
              status: 'in_progress',
              call_id: part.id,
              name: part.name,
              arguments: '',
            },
            item.index,
          );
          break;
        }
        case 'tool-call-delta': {
          const item = calls.get(part.index);
          if (!item || !part.argumentsDelta) break;
          item.arguments += part.argumentsDelta;
          yield event('response.function_call_arguments.delta', {
            item_id: item.id,
            output_index: item.index,
            delta: part.argumentsDelta,
          });
          break;
        }
        case 'finish': {
          yield* closeAll();
          usage = toResponsesUsage(part.usage);
          const state = finishStateOf(part.finishReason);
          if (state.status === 'failed') throw new UpstreamError(finishErrorMessage(part.finishReason));
          const response = responseOf(shell, { ...state, output: outputOf(items), usage });
          finalized = true;
          await onFinal(response);
          yield event(state.status === 'completed' ? 'response.completed' : 'response.incomplete', {
            response,
          });
          return;
        }
        // `start` and `raw` carry nothing the events need.
      }
    }
    throw new UpstreamError('The stream ended before the model finished.');
  } catch (error) {
    const http = toHttpError(error);
    const message = scrubSecrets(http.message);
    const state: ResponseState = {
      status: 'failed',
      output: outputOf(items),
      usage,
      error: { code: responseErrorCode(http), message },
    };
    const response = responseOf(shell, state);
    if (!finalized) await onFinal(response).catch(() => undefined);
    yield errorEvent(http, message, sequence++);
    yield event('response.failed', { response });
  }
}

/**
 * A failure as the Responses stream's `error` event: `code`, `message` and `param` as the
 * spec has them, and the same in a nested `error` (the openai SDK throws on an event that
 * has one; the Vercel AI SDK reads either). For a stream whose own event count is not
 * known here (the native lane), `sequenceNumber` is 0: the spec requires one, and clients
 * read it only to resume a stream.
 */
export function responsesErrorEvent(error: unknown, sequenceNumber = 0): string {
  const http = toHttpError(error);
  return errorEvent(http, scrubSecrets(http.message), sequenceNumber);
}

function errorEvent(http: HttpError, message: string, sequenceNumber: number): string {
  const body = errorBody('openai', http.status, message, http.code) as { error: Record<string, unknown> };
  return sse('error', {
    sequence_number: sequenceNumber,
    code: http.code ?? 'server_error',
    message,
    param: null,
    error: body.error,
  });
}

/** A failed Response's error code: the spec's short list has rate limits and server errors. */
function responseErrorCode(http: HttpError): string {
  return http.status === 429 ? 'rate_limit_exceeded' : 'server_error';
}

/** Every item so far as the Response lists it: those still open as `incomplete`. */
function outputOf(items: ItemState[]): Record<string, unknown>[] {
  return items.map((item) => finalItem(item, item.done ? 'completed' : 'incomplete'));
}

function finalItem(item: CallState, status: ItemStatus): ReturnType<typeof functionCallItem>;
function finalItem(item: ItemState, status: ItemStatus): Record<string, unknown>;
function finalItem(item: ItemState, status: ItemStatus): Record<string, unknown> {
  switch (item.kind) {
    case 'message':
      return messageItem(item.id, item.text, status);
    case 'function_call':
      return functionCallItem(
        item.id,
        { callId: item.callId, name: item.name, arguments: item.arguments },
        status,
      );
    case 'reasoning': {
      // A block cut short has no signature; it is kept as text.
      const open = item.block ? [{ type: 'reasoning' as const, text: item.block.text }] : [];
      return reasoningItem(item.id, [...item.parts, ...open]);
    }
  }
}
