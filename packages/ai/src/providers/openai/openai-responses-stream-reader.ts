import type { ChatStreamPart } from '../../types/chat-stream-part.js';
import { convertOpenAIResponsesUsage } from './convert-openai-responses-usage.js';
import { mapOpenAIResponsesFinishReason } from './map-openai-responses-finish-reason.js';
import {
  type OpenAIResponseItem,
  type OpenAIResponseObject,
  toolCallsOf,
} from './openai-responses-result.js';

/** A Responses API stream event, as far as the gateway reads it. */
export interface OpenAIResponsesEvent {
  type?: string;
  /** The Response of `response.created`, `response.completed`, `response.incomplete`... */
  response?: OpenAIResponseObject;
  delta?: string;
  item?: OpenAIResponseItem;
  item_id?: string;
  output_index?: number;
}

/**
 * Reads one Responses API stream, event by event, into our stream parts: `start` from
 * the first event (`response.created`), text, reasoning and tool-call deltas, and the
 * final Response of `response.completed` / `response.incomplete`, which becomes the
 * `finish` part as soon as it comes. One per call: its fields are that
 * call's state. Events it does not know are skipped.
 */
export class OpenAIResponsesStreamReader {
  private started = false;
  private final: OpenAIResponseObject | undefined;
  /** `completed` or `incomplete`, from the terminal event's type. */
  private terminal: string | undefined;
  private tools = 0;
  /** Our tool index of each function call, by its item id and by its output index. */
  private readonly toolByItem = new Map<string, number>();
  private readonly toolByOutput = new Map<number, number>();

  constructor(private readonly requestModel: string) {}

  *read(event: OpenAIResponsesEvent): Generator<ChatStreamPart> {
    if (!this.started) {
      this.started = true;
      const id = event.response?.id;
      yield { type: 'start', ...(id ? { id } : {}), model: event.response?.model ?? this.requestModel };
    }
    switch (event.type) {
      case 'response.output_text.delta':
        if (event.delta) yield { type: 'text-delta', delta: event.delta };
        return;
      case 'response.reasoning_summary_text.delta':
      case 'response.reasoning_text.delta':
        if (event.delta) yield { type: 'reasoning-delta', delta: event.delta };
        return;
      case 'response.output_item.added': {
        const item = event.item;
        if (item?.type !== 'function_call') return;
        const index = this.tools++;
        if (item.id !== undefined) this.toolByItem.set(item.id, index);
        if (event.output_index !== undefined) this.toolByOutput.set(event.output_index, index);
        yield { type: 'tool-call-start', index, id: item.call_id ?? item.id ?? '', name: item.name ?? '' };
        return;
      }
      case 'response.function_call_arguments.delta': {
        const index =
          (event.item_id !== undefined ? this.toolByItem.get(event.item_id) : undefined) ??
          (event.output_index !== undefined ? this.toolByOutput.get(event.output_index) : undefined);
        if (index !== undefined && event.delta)
          yield { type: 'tool-call-delta', index, argumentsDelta: event.delta };
        return;
      }
      case 'response.completed':
      case 'response.incomplete': {
        this.final = event.response ?? {};
        this.terminal = event.type.slice('response.'.length);
        // At once, not when the connection closes: what it settles (the row, the kept
        // response) is done before the caller reads this event.
        const finish = this.finish();
        if (finish) yield finish;
        return;
      }
    }
  }

  /** Whether the terminal event came (the stream is complete). */
  get finished(): boolean {
    return this.final !== undefined;
  }

  /** The last part of a complete stream; undefined when it never completed (a cut stream). */
  private finish(): ChatStreamPart | undefined {
    const response = this.final;
    if (!response) return undefined;
    const hasToolCalls = response.output ? toolCallsOf(response.output).length > 0 : this.tools > 0;
    return {
      type: 'finish',
      finishReason: mapOpenAIResponsesFinishReason(
        response.status ?? this.terminal,
        response.incomplete_details?.reason,
        hasToolCalls,
      ),
      usage: convertOpenAIResponsesUsage(response.usage),
      nativeResult: response,
    };
  }
}
