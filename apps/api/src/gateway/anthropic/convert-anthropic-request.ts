import type { ChatMessage, ChatRequest, ToolCall, ToolChoice, UserContentPart } from '@aigw/ai';
import {
  type AnthropicMessageParam,
  type MessagesRequest,
  messagesRequestSchema,
} from './messages.schemas.js';

/** A Messages request as our ChatRequest, and what of it could not be passed on. */
export interface ConvertedAnthropicRequest {
  request: ChatRequest;
  /** Settings accepted but not passed on to the provider. */
  warnings: string[];
  /** `metadata.user_id`: the caller's own end user, kept on the usage row. */
  endUserId?: string;
}

type UserBlock = Extract<AnthropicMessageParam, { role: 'user' }>['content'][number];
type AssistantBlock = Extract<AnthropicMessageParam, { role: 'assistant' }>['content'][number];

const KNOWN_FIELDS = new Set(Object.keys(messagesRequestSchema.shape));

/**
 * Converts an Anthropic Messages request to our ChatRequest (the model name is resolved
 * later, so any provider can serve it). Tool results become tool messages, tool_use
 * blocks the assistant's tool calls; Anthropic-only settings become warnings.
 */
export function convertAnthropicRequest(
  body: MessagesRequest,
  signal?: AbortSignal,
): ConvertedAnthropicRequest {
  const warnings = new Set<string>();
  const messages: ChatMessage[] = [];
  const system = body.system?.map((block) => block.text).join('\n\n');
  if (system) messages.push({ role: 'system', content: system });
  // Tool results name no tool; some providers want the name, so it comes from the call.
  const toolNames = new Map<string, string>();
  for (const message of body.messages) {
    if (message.role === 'user') messages.push(...convertUserTurn(message.content, toolNames));
    else {
      const assistant = convertAssistantTurn(message.content, toolNames);
      if (assistant) messages.push(assistant);
      if (message.content.some((b) => b.type === 'thinking' || b.type === 'redacted_thinking')) {
        warnings.add('thinking blocks of earlier turns were not passed on');
      }
    }
  }

  const request: ChatRequest = { model: body.model, messages, maxTokens: body.max_tokens };
  if (body.tools?.length) {
    request.tools = body.tools.map((tool) => ({
      name: tool.name,
      ...(tool.description !== undefined ? { description: tool.description } : {}),
      parameters: tool.input_schema,
    }));
  }
  if (body.tool_choice) {
    request.toolChoice = convertToolChoice(body.tool_choice);
    if ('disable_parallel_tool_use' in body.tool_choice && body.tool_choice.disable_parallel_tool_use) {
      warnings.add('tool_choice.disable_parallel_tool_use was ignored');
    }
  }
  if (body.temperature !== undefined) request.temperature = body.temperature;
  if (body.top_p !== undefined) request.topP = body.top_p;
  if (body.top_k !== undefined) warnings.add('top_k was ignored: not every provider supports it');
  if (body.stop_sequences?.length) request.stop = body.stop_sequences;
  if (body.thinking && body.thinking.type !== 'disabled') {
    warnings.add('thinking was ignored: extended thinking is not passed on by the gateway');
  }
  const { format, ...otherOutput } = body.output_config ?? {};
  if (format) request.responseFormat = { type: 'json-schema', name: 'response', schema: format.schema };
  if (Object.keys(otherOutput).length) {
    warnings.add(`output_config fields were ignored: ${Object.keys(otherOutput).join(', ')}`);
  }
  if (usesCacheControl(body)) {
    warnings.add('cache_control was ignored: prompt caching breakpoints are not passed on');
  }
  const unknown = Object.keys(body).filter((field) => !KNOWN_FIELDS.has(field));
  if (unknown.length) warnings.add(`unsupported fields were ignored: ${unknown.join(', ')}`);
  if (signal) request.signal = signal;

  const endUserId = body.metadata?.user_id ?? undefined;
  return { request, warnings: [...warnings], ...(endUserId ? { endUserId } : {}) };
}

/** Tool results first (they answer the previous assistant turn), then the user's own content. */
function convertUserTurn(blocks: UserBlock[], toolNames: Map<string, string>): ChatMessage[] {
  const out: ChatMessage[] = [];
  const parts: UserContentPart[] = [];
  for (const block of blocks) {
    if (block.type === 'tool_result') {
      const text = (block.content ?? []).map((b) => b.text).join('\n');
      const name = toolNames.get(block.tool_use_id);
      out.push({
        role: 'tool',
        toolCallId: block.tool_use_id,
        // Our tool messages have no error flag: the model still learns the call failed.
        content: block.is_error ? `Error: ${text}` : text,
        ...(name ? { name } : {}),
      });
    } else if (block.type === 'text') {
      parts.push({ type: 'text', text: block.text });
    } else if (block.source.type === 'url') {
      parts.push({ type: 'image', url: block.source.url });
    } else {
      parts.push({ type: 'image', data: block.source.data, mediaType: block.source.media_type });
    }
  }
  const [only] = parts;
  if (parts.length === 1 && only?.type === 'text') out.push({ role: 'user', content: only.text });
  else if (parts.length) out.push({ role: 'user', content: parts });
  return out;
}

function convertAssistantTurn(blocks: AssistantBlock[], toolNames: Map<string, string>): ChatMessage | null {
  let text = '';
  const toolCalls: ToolCall[] = [];
  for (const block of blocks) {
    if (block.type === 'text') text += block.text;
    else if (block.type === 'tool_use') {
      toolNames.set(block.id, block.name);
      toolCalls.push({ id: block.id, name: block.name, arguments: JSON.stringify(block.input) });
    }
  }
  if (!text && !toolCalls.length) return null;
  return { role: 'assistant', content: text || null, ...(toolCalls.length ? { toolCalls } : {}) };
}

function convertToolChoice(choice: NonNullable<MessagesRequest['tool_choice']>): ToolChoice {
  switch (choice.type) {
    case 'any':
      return 'required';
    case 'tool':
      return { name: choice.name };
    default:
      return choice.type;
  }
}

function usesCacheControl(body: MessagesRequest): boolean {
  const marked = (block: { cache_control?: unknown }) => block.cache_control != null;
  return (
    (body.system ?? []).some(marked) ||
    (body.tools ?? []).some(marked) ||
    body.messages.some((m) =>
      m.content.some(
        (block) =>
          ('cache_control' in block && marked(block)) ||
          (block.type === 'tool_result' && (block.content ?? []).some(marked)),
      ),
    )
  );
}
