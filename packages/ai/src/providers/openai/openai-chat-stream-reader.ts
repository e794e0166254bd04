import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import type { ChatStreamPart } from '../../types/chat-stream-part.js';
import type { TokenUsage } from '../../types/token-usage.js';
import { convertOpenAIChatUsage, type OpenAIChatUsage } from './convert-openai-chat-usage.js';
import { mapOpenAIFinishReason } from './map-openai-finish-reason.js';

/** Reasoning text as DeepSeek (`reasoning_content`) and OpenRouter (`reasoning`) send it. */
export interface ReasoningFields {
  reasoning_content?: string | null;
  reasoning?: string | null;
}

/** A chunk as OpenAI and the compatible servers send it (Groq puts a stream's usage under `x_groq`). */
export type OpenAIChatChunk = ChatCompletionChunk & { x_groq?: { usage?: OpenAIChatUsage } };

/**
 * Reads one Chat Completions stream, chunk by chunk, into our stream parts: the same for
 * chunks the SDK parsed and for the raw chunks of the native lane. One per call: its
 * fields are that call's state. The `finish` part comes from `finish()` once the stream
 * has ended, as the usage chunk follows the last choice.
 */
export class OpenAIChatStreamReader {
  private usage: TokenUsage | undefined;
  private finishReason: string | null | undefined;
  private started = false;
  private readonly toolIds = new Map<number, string>();

  constructor(
    private readonly requestModel: string,
    private readonly warnings: string[] = [],
  ) {}

  *read(chunk: OpenAIChatChunk): Generator<ChatStreamPart> {
    if (!this.started) {
      this.started = true;
      yield {
        type: 'start',
        id: chunk.id,
        model: chunk.model ?? this.requestModel,
        ...(this.warnings.length ? { warnings: this.warnings } : {}),
      };
    }
    const streamUsage = chunk.usage ?? chunk.x_groq?.usage;
    if (streamUsage) this.usage = convertOpenAIChatUsage(streamUsage as OpenAIChatUsage);
    // With `n` above 1 every choice streams; the first one stands for the text estimate.
    for (const choice of chunk.choices ?? []) {
      if (choice.finish_reason) this.finishReason ??= choice.finish_reason;
      if (choice.index !== 0 && choice.index !== undefined) continue;
      const delta = (choice.delta ?? {}) as ChatCompletionChunk.Choice['delta'] & ReasoningFields;
      const reasoning = delta.reasoning_content ?? delta.reasoning;
      if (reasoning) yield { type: 'reasoning-delta', delta: reasoning };
      if (delta.content) yield { type: 'text-delta', delta: delta.content };
      for (const call of delta.tool_calls ?? []) {
        if (call.id && !this.toolIds.has(call.index)) {
          this.toolIds.set(call.index, call.id);
          yield { type: 'tool-call-start', index: call.index, id: call.id, name: call.function?.name ?? '' };
        }
        if (call.function?.arguments) {
          yield { type: 'tool-call-delta', index: call.index, argumentsDelta: call.function.arguments };
        }
      }
    }
  }

  /** The last part of a complete stream; undefined when the model never finished (a cut stream). */
  finish(): ChatStreamPart | undefined {
    if (!this.finishReason) return undefined;
    return {
      type: 'finish',
      finishReason: mapOpenAIFinishReason(this.finishReason),
      usage: this.usage ?? convertOpenAIChatUsage(undefined),
    };
  }
}
