import type { ChatMessage, ChatRequest, UserContentPart } from '@aigw/ai';
import type { ChatCompletionRequest } from './chat-completions.schemas.js';

// The fields this module maps; every other field passes through to the provider.
const MAPPED = new Set([
  'model',
  'messages',
  'tools',
  'tool_choice',
  'response_format',
  'temperature',
  'top_p',
  'max_tokens',
  'max_completion_tokens',
  'stop',
  'n',
  'stream',
  'stream_options',
  'user',
]);

/** A Chat Completions request as our ChatRequest, and what of it could not be carried over. */
export interface ConvertedOpenAIRequest {
  request: ChatRequest;
  /** What the translation could not carry, for the x-aigw-warnings header and the usage row. */
  warnings: string[];
}

/** An OpenAI Chat Completions request as our ChatRequest (the model name is resolved later). */
export function convertOpenAIRequest(
  body: ChatCompletionRequest,
  signal?: AbortSignal,
): ConvertedOpenAIRequest {
  const warnings: string[] = [];
  const request: ChatRequest = { model: body.model, messages: body.messages.map(convertMessage) };
  if (body.tools?.length) {
    request.tools = body.tools.map((t) => ({
      name: t.function.name,
      ...(t.function.description !== undefined ? { description: t.function.description } : {}),
      parameters: t.function.parameters ?? { type: 'object', properties: {} },
    }));
  }
  if (body.tool_choice) {
    request.toolChoice =
      typeof body.tool_choice === 'string' ? body.tool_choice : { name: body.tool_choice.function.name };
  }
  const format = body.response_format;
  if (format?.type === 'json_object') request.responseFormat = { type: 'json' };
  if (format?.type === 'json_schema') {
    request.responseFormat = {
      type: 'json-schema',
      name: format.json_schema.name,
      schema: format.json_schema.schema ?? {},
      ...(format.json_schema.strict != null ? { strict: format.json_schema.strict } : {}),
    };
  }
  if (body.temperature != null) request.temperature = body.temperature;
  if (body.top_p != null) request.topP = body.top_p;
  const maxTokens = body.max_completion_tokens ?? body.max_tokens;
  if (maxTokens != null) request.maxTokens = maxTokens;
  if (body.stop != null) request.stop = typeof body.stop === 'string' ? [body.stop] : body.stop;
  const passthrough = Object.fromEntries(Object.entries(body).filter(([key]) => !MAPPED.has(key)));
  if (body.user) passthrough.user = body.user;
  if (Object.keys(passthrough).length) request.providerOptions = passthrough;
  if (signal) request.signal = signal;
  return { request, warnings };
}

type OpenAIMessage = ChatCompletionRequest['messages'][number];

const text = (content: string | { text: string }[] | null | undefined): string =>
  typeof content === 'string' ? content : (content ?? []).map((p) => p.text).join('');

function convertMessage(message: OpenAIMessage): ChatMessage {
  switch (message.role) {
    case 'system':
    case 'developer':
      return { role: 'system', content: text(message.content) };
    case 'user':
      return {
        role: 'user',
        content: typeof message.content === 'string' ? message.content : message.content.map(convertPart),
      };
    case 'assistant':
      return {
        role: 'assistant',
        content: message.content == null ? null : text(message.content),
        ...(message.tool_calls?.length
          ? {
              toolCalls: message.tool_calls.map((c) => ({
                id: c.id,
                name: c.function.name,
                arguments: c.function.arguments,
              })),
            }
          : {}),
      };
    case 'tool':
      return { role: 'tool', toolCallId: message.tool_call_id, content: text(message.content) };
  }
}

function convertPart(
  part: { type: 'text'; text: string } | { type: 'image_url'; image_url: { url: string } },
): UserContentPart {
  if (part.type === 'text') return { type: 'text', text: part.text };
  const data = part.image_url.url.match(/^data:([^;,]+);base64,(.*)$/s);
  return data
    ? { type: 'image', mediaType: data[1] as string, data: data[2] as string }
    : { type: 'image', url: part.image_url.url };
}
