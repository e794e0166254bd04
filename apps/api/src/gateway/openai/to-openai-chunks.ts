import { type ChatStreamPart, scrubSecrets } from '@aigw/ai';
import { errorBody } from '../../http/error-format.js';
import { toHttpError } from '../../http/http-error.js';
import { toOpenAIFinishReason, toOpenAIUsage } from './to-openai-usage.js';

const data = (payload: unknown) => `data: ${JSON.stringify(payload)}\n\n`;

/**
 * Our stream parts as OpenAI `chat.completion.chunk` SSE events, ending with
 * `data: [DONE]`; with `include_usage`, a last chunk with empty choices carries usage.
 * A failure after the first byte is sent in-band as an `error` event.
 */
export async function* toOpenAIChunks(
  parts: AsyncIterable<ChatStreamPart>,
  options: { id: string; model: string; includeUsage: boolean },
): AsyncIterable<string> {
  const created = Math.floor(Date.now() / 1000);
  let model = options.model;
  const chunk = (delta: Record<string, unknown>, finishReason: string | null = null) =>
    data({
      id: options.id,
      object: 'chat.completion.chunk',
      created,
      model,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    });
  try {
    for await (const part of parts) {
      switch (part.type) {
        case 'start':
          model = part.model;
          yield chunk({ role: 'assistant', content: '', refusal: null });
          break;
        case 'text-delta':
          yield chunk({ content: part.delta });
          break;
        case 'tool-call-start':
          yield chunk({
            tool_calls: [
              {
                index: part.index,
                id: part.id,
                type: 'function',
                function: { name: part.name, arguments: '' },
              },
            ],
          });
          break;
        case 'tool-call-delta':
          yield chunk({ tool_calls: [{ index: part.index, function: { arguments: part.argumentsDelta } }] });
          break;
        case 'finish':
          yield chunk({}, toOpenAIFinishReason(part.finishReason.unified));
          if (options.includeUsage) {
            yield data({
              id: options.id,
              object: 'chat.completion.chunk',
              created,
              model,
              choices: [],
              usage: toOpenAIUsage(part.usage),
            });
          }
          break;
        // Reasoning is not part of the Chat Completions stream format.
      }
    }
  } catch (error) {
    yield openAIErrorChunk(error);
    return;
  }
  yield 'data: [DONE]\n\n';
}

/** A failure after the first byte, as the error chunk that ends an OpenAI stream. */
export function openAIErrorChunk(error: unknown): string {
  const http = toHttpError(error);
  return data(errorBody('openai', http.status, scrubSecrets(http.message), http.code));
}
