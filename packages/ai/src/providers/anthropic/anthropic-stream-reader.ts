import type { RawMessageStreamEvent } from '@anthropic-ai/sdk/resources/messages';
import type { ChatStreamPart } from '../../types/chat-stream-part.js';
import {
  type AnthropicUsageBlock,
  convertAnthropicUsage,
  mergeAnthropicUsage,
} from './convert-anthropic-usage.js';
import { mapAnthropicFinishReason } from './map-anthropic-finish-reason.js';

/**
 * Reads one Anthropic Messages stream, event by event, into our stream parts: the same
 * for events the SDK parsed and for the raw events of the native lane. One per call:
 * its fields are that call's state. Event types it does not know are skipped.
 */
export class AnthropicStreamReader {
  private usage: AnthropicUsageBlock | undefined;
  private stopReason: string | null | undefined;
  private readonly toolIndexByBlock = new Map<number, number>();
  /** True once `message_stop` arrived: the stream is complete. */
  finished = false;

  constructor(
    /** The model asked for, should the server not name one. */
    private readonly requestModel: string,
    private readonly warnings: string[] = [],
  ) {}

  *read(event: RawMessageStreamEvent): Generator<ChatStreamPart> {
    switch (event.type) {
      case 'message_start':
        this.usage = mergeAnthropicUsage(this.usage, event.message.usage);
        yield {
          type: 'start',
          id: event.message.id,
          model: event.message.model ?? this.requestModel,
          ...(this.warnings.length ? { warnings: this.warnings } : {}),
        };
        break;
      case 'content_block_start': {
        const block = event.content_block;
        if (block.type === 'tool_use') {
          const index = this.toolIndexByBlock.size;
          this.toolIndexByBlock.set(event.index, index);
          yield { type: 'tool-call-start', index, id: block.id, name: block.name };
        } else if (block.type === 'text' && block.text) {
          yield { type: 'text-delta', delta: block.text };
        } else if (block.type === 'thinking') {
          if (block.thinking) yield { type: 'reasoning-delta', delta: block.thinking };
          // The API sends the signature as a later delta; a server sending the whole block at once has it here.
          if (block.signature) yield { type: 'reasoning-signature', signature: block.signature };
        } else if (block.type === 'redacted_thinking') {
          yield { type: 'redacted-reasoning', data: block.data };
        }
        break;
      }
      case 'content_block_delta': {
        const delta = event.delta;
        if (delta.type === 'text_delta') yield { type: 'text-delta', delta: delta.text };
        else if (delta.type === 'thinking_delta') yield { type: 'reasoning-delta', delta: delta.thinking };
        else if (delta.type === 'signature_delta')
          yield { type: 'reasoning-signature', signature: delta.signature };
        else if (delta.type === 'input_json_delta') {
          const index = this.toolIndexByBlock.get(event.index);
          if (index !== undefined && delta.partial_json) {
            yield { type: 'tool-call-delta', index, argumentsDelta: delta.partial_json };
          }
        }
        break;
      }
      case 'message_delta':
        this.stopReason = event.delta.stop_reason ?? this.stopReason;
        this.usage = mergeAnthropicUsage(this.usage, event.usage);
        break;
      case 'message_stop':
        this.finished = true;
        yield {
          type: 'finish',
          finishReason: mapAnthropicFinishReason(this.stopReason),
          usage: convertAnthropicUsage(this.usage),
        };
        break;
    }
  }
}
