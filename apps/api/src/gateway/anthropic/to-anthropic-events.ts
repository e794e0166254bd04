import { type ChatStreamPart, scrubSecrets, UpstreamError } from '@aigw/ai';
import { errorBody } from '../../http/error-format.js';
import { toHttpError } from '../../http/http-error.js';
import { toAnthropicStopReason, toAnthropicUsage } from './to-anthropic-usage.js';

const event = (name: string, data: Record<string, unknown>) =>
  `event: ${name}\ndata: ${JSON.stringify({ type: name, ...data })}\n\n`;

/**
 * Our stream parts as Anthropic Messages SSE events: `message_start`, one
 * start/delta/stop run per content block (text, then each tool call in order),
 * `message_delta` with the stop reason and usage, `message_stop`. Reasoning is left
 * out. A failure after the first byte is sent in-band as an `error` event, which ends
 * the stream.
 */
export async function* toAnthropicEvents(
  parts: AsyncIterable<ChatStreamPart>,
  options: { id: string; model: string },
): AsyncIterable<string> {
  // Anthropic blocks are numbered in order; only the last one started can be open.
  let blockIndex = -1;
  let open = false;
  let openText = false;
  const toolBlocks = new Map<number, number>();
  const startBlock = (contentBlock: Record<string, unknown>): string[] => {
    const events = closeBlock();
    blockIndex++;
    open = true;
    events.push(event('content_block_start', { index: blockIndex, content_block: contentBlock }));
    return events;
  };
  const closeBlock = (): string[] => {
    if (!open) return [];
    open = false;
    openText = false;
    return [event('content_block_stop', { index: blockIndex })];
  };

  let started = false;
  try {
    for await (const part of parts) {
      if (!started) {
        started = true;
        yield messageStart(options);
      }
      switch (part.type) {
        case 'text-delta':
          if (!part.delta) break;
          if (!openText) {
            yield* startBlock({ type: 'text', text: '' });
            openText = true;
          }
          yield event('content_block_delta', {
            index: blockIndex,
            delta: { type: 'text_delta', text: part.delta },
          });
          break;
        case 'tool-call-start':
          yield* startBlock({ type: 'tool_use', id: part.id, name: part.name, input: {} });
          toolBlocks.set(part.index, blockIndex);
          break;
        case 'tool-call-delta': {
          const index = toolBlocks.get(part.index);
          if (index === undefined || !part.argumentsDelta) break;
          // Upstreams send each call's arguments before the next call starts; should one
          // interleave, the delta still goes to its own block rather than being lost.
          yield event('content_block_delta', {
            index,
            delta: { type: 'input_json_delta', partial_json: part.argumentsDelta },
          });
          break;
        }
        case 'finish':
          yield* closeBlock();
          yield event('message_delta', {
            delta: { stop_reason: toAnthropicStopReason(part.finishReason.unified), stop_sequence: null },
            usage: toAnthropicUsage(part.usage),
          });
          yield event('message_stop', {});
          return;
        // `start` carries nothing the events need; reasoning is not sent (see toAnthropicMessage).
      }
    }
    throw new UpstreamError('The stream ended before the model finished.');
  } catch (error) {
    yield anthropicErrorEvent(error);
  }
}

/** A failure after the first byte, as the `error` event that ends an Anthropic stream. */
export function anthropicErrorEvent(error: unknown): string {
  const http = toHttpError(error);
  const body = errorBody('anthropic', http.status, scrubSecrets(http.message), http.code);
  return `event: error\ndata: ${JSON.stringify(body)}\n\n`;
}

/** `message_start`: an empty message; the counts come with `message_delta` at the end. */
function messageStart(options: { id: string; model: string }): string {
  return event('message_start', {
    message: {
      id: options.id,
      type: 'message',
      role: 'assistant',
      model: options.model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: {
        input_tokens: 0,
        cache_creation_input_tokens: null,
        cache_read_input_tokens: null,
        output_tokens: 0,
      },
    },
  });
}
