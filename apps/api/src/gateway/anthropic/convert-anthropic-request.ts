import type { ChatRequest, ReasoningSettings, ToolChoice } from '@aigw/ai';
import { RequestValidationError } from '../../http/zod-validation.js';
import { cacheControlOf, convertAnthropicMessages } from './convert-anthropic-messages.js';
import { type MessagesRequest, messagesRequestSchema } from './messages.schemas.js';

/** A Messages request as our ChatRequest, and what of it could not be passed on. */
export interface ConvertedAnthropicRequest {
  request: ChatRequest;
  /** Settings accepted but not passed on to the provider. */
  warnings: string[];
  /** `metadata.user_id`: the caller's own end user, kept on the usage row. */
  endUserId?: string;
}

const KNOWN_FIELDS = new Set(Object.keys(messagesRequestSchema.shape));

/**
 * Converts an Anthropic Messages request to our ChatRequest, for a provider that does not
 * speak the format (an Anthropic provider gets the body as it is). Everything our model
 * carries is kept: system blocks, cache breakpoints, signed thinking, the thinking
 * budget, top_k, metadata; the rest (fields we do not know) becomes warnings, as no
 * Anthropic provider will read them on this path.
 */
export function convertAnthropicRequest(
  body: MessagesRequest,
  signal?: AbortSignal,
): ConvertedAnthropicRequest {
  const warnings = new Set<string>();
  const messages = convertAnthropicMessages(body, warnings);

  const request: ChatRequest = { model: body.model, messages, maxTokens: body.max_tokens };
  if (body.tools?.length) {
    request.tools = body.tools.map((tool) => ({
      name: tool.name,
      ...(tool.description !== undefined ? { description: tool.description } : {}),
      parameters: tool.input_schema,
      ...cacheControlOf(tool.cache_control),
    }));
  }
  if (body.tool_choice) {
    request.toolChoice = convertToolChoice(body.tool_choice);
    if ('disable_parallel_tool_use' in body.tool_choice && body.tool_choice.disable_parallel_tool_use) {
      request.parallelToolCalls = false;
    }
  }
  if (body.temperature !== undefined) request.temperature = body.temperature;
  if (body.top_p !== undefined) request.topP = body.top_p;
  if (body.top_k !== undefined) request.topK = body.top_k;
  if (body.stop_sequences?.length) request.stop = body.stop_sequences;
  const userId = body.metadata?.user_id ?? undefined;
  if (userId !== undefined) request.metadata = { userId };

  const { format, effort, ...otherOutput } = body.output_config ?? {};
  if (format) request.responseFormat = { type: 'json-schema', name: 'response', schema: format.schema };
  if (Object.keys(otherOutput).length) {
    warnings.add(`output_config fields were ignored: ${Object.keys(otherOutput).join(', ')}`);
  }
  const reasoning = convertThinking(body.thinking, effort ?? undefined, warnings);
  if (reasoning) request.reasoning = reasoning;

  const unknown = Object.keys(body).filter((field) => !KNOWN_FIELDS.has(field));
  if (unknown.length) warnings.add(`unsupported fields were ignored: ${unknown.join(', ')}`);
  if (signal) request.signal = signal;

  return { request, warnings: [...warnings], ...(userId ? { endUserId: userId } : {}) };
}

/**
 * `thinking` and `output_config.effort` as our reasoning settings. `adaptive` (Claude
 * decides how much to think) has no budget: it becomes the middle effort, `medium`.
 * `disabled` sets nothing: the target model's default, which for most is no reasoning.
 */
function convertThinking(
  thinking: MessagesRequest['thinking'],
  effort: ReasoningSettings['effort'],
  warnings: Set<string>,
): ReasoningSettings | undefined {
  const reasoning: ReasoningSettings = {};
  if (thinking?.type === 'enabled') {
    if (thinking.budget_tokens === undefined) {
      throw new RequestValidationError(['thinking.budget_tokens: is required when thinking.type is enabled']);
    }
    reasoning.budgetTokens = thinking.budget_tokens;
  } else if (thinking?.type === 'adaptive') {
    reasoning.effort = 'medium';
  }
  if (thinking?.display != null)
    warnings.add('thinking.display was ignored: thinking is not shown in this answer');
  if (effort !== undefined) reasoning.effort = effort;
  return Object.keys(reasoning).length ? reasoning : undefined;
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
