import type { ChatRequest, ResponseFormat, ToolChoice, ToolDefinition } from '@aigw/ai';
import { RequestValidationError } from '../../http/zod-validation.js';
import { convertResponsesItems } from './convert-responses-items.js';
import type { ResponsesRequest } from './responses.schemas.js';

/**
 * Fields the gateway handles itself around the translation, so they draw no warning:
 * `model` (resolved by routing), `input` and `instructions` (read here),
 * `previous_response_id`, `store`, `background`, `metadata` (the stored response's),
 * `stream`, `stream_options`, `include` (encrypted reasoning is always included),
 * `truncation` (nothing is cut: `disabled`), and prompt-cache and service-tier settings,
 * which only OpenAI reads.
 */
const HANDLED = new Set([
  'model',
  'input',
  'previous_response_id',
  'store',
  'background',
  'metadata',
  'stream',
  'stream_options',
  'include',
  'truncation',
  'prompt_cache_key',
  'prompt_cache_retention',
  'prompt_cache_options',
  'service_tier',
]);

/** Fields mapped onto our ChatRequest below. */
const MAPPED = new Set([
  'instructions',
  'tools',
  'tool_choice',
  'parallel_tool_calls',
  'text',
  'reasoning',
  'max_output_tokens',
  'temperature',
  'top_p',
  'user',
  'safety_identifier',
]);

/** Fields whose answer depends on state only OpenAI keeps: refused rather than ignored. */
const REFUSED: Record<string, string> = {
  conversation: 'conversations cannot be used with this model; use previous_response_id',
  prompt: 'stored prompt templates cannot be used with this model; send instructions and input',
};

/** A Responses request as our ChatRequest, and what of it could not be carried over. */
export interface ConvertedResponsesRequest {
  request: ChatRequest;
  /** What the translation could not carry, for the x-aigw-warnings header and the usage row. */
  warnings: string[];
}

/**
 * An OpenAI Responses request as our ChatRequest (the model name is resolved later), for
 * a provider that does not speak the format. `history` is the items of the earlier turns
 * (the `previous_response_id` chain, each response's input then output, oldest first,
 * references resolved); the body's `input` must have its references resolved too.
 * `instructions` become the first, system message (those of earlier turns do not carry
 * over, as with OpenAI). OpenAI's hosted tools, file inputs and stored prompts or
 * conversations are a 400 naming the field; settings with no equivalent are named in
 * `warnings`.
 */
export function convertResponsesRequest(
  body: ResponsesRequest,
  history: readonly Record<string, unknown>[],
  signal?: AbortSignal,
): ConvertedResponsesRequest {
  const warnings = new Set<string>();
  for (const [field, why] of Object.entries(REFUSED)) {
    if (body[field] != null) throw new RequestValidationError([`${field}: ${why}`]);
  }
  const messages = convertResponsesItems(body.input ?? [], history, warnings);
  if (!messages.length) {
    throw new RequestValidationError(['input: is required: a string or a list of items']);
  }
  if (body.instructions) messages.unshift({ role: 'system', content: body.instructions });
  const request: ChatRequest = { model: body.model, messages };

  const tools = (body.tools ?? []).map((tool, index) => convertTool(tool, index, warnings));
  const choice = body.tool_choice;
  if (choice && typeof choice === 'object' && choice.type === 'allowed_tools') {
    // Only these tools may be called: the others are left out, which is the same to the model.
    const listed = (choice as { tools?: Record<string, unknown>[] }).tools ?? [];
    const allowed = new Set(listed.filter((t) => t.type === 'function').map((t) => t.name));
    const kept = tools.filter((tool) => allowed.has(tool.name));
    if (kept.length) request.tools = kept;
    request.toolChoice = (choice as { mode: 'auto' | 'required' }).mode;
  } else {
    if (tools.length) request.tools = tools;
    if (choice) request.toolChoice = convertToolChoice(choice);
  }
  if (body.parallel_tool_calls != null) request.parallelToolCalls = body.parallel_tool_calls;

  const responseFormat = convertText(body.text, warnings);
  if (responseFormat) request.responseFormat = responseFormat;
  if (body.reasoning) {
    // `summary` needs nothing: a model that thinks always has its reasoning returned.
    const { effort, summary: _summary, generate_summary: _generate, ...other } = body.reasoning;
    if (effort != null) request.reasoning = { effort };
    for (const [key, value] of Object.entries(other)) {
      if (value != null) warnings.add(`reasoning.${key} was ignored: the model has no such setting`);
    }
  }
  if (body.max_output_tokens != null) request.maxTokens = body.max_output_tokens;
  if (body.temperature != null) request.temperature = body.temperature;
  if (body.top_p != null) request.topP = body.top_p;
  // `safety_identifier` replaces `user`: it names the end user when both are there.
  const userId = body.safety_identifier ?? body.user;
  if (userId != null) request.metadata = { userId };

  if (body.include?.includes('message.output_text.logprobs')) {
    warnings.add('include message.output_text.logprobs was ignored: log probabilities are not available');
  }
  const unknown = Object.keys(body).filter(
    (field) => !HANDLED.has(field) && !MAPPED.has(field) && body[field] != null,
  );
  if (unknown.length) warnings.add(`unsupported fields were ignored: ${unknown.join(', ')}`);
  if (signal) request.signal = signal;
  return { request, warnings: [...warnings] };
}

function convertTool(
  tool: NonNullable<ResponsesRequest['tools']>[number],
  index: number,
  warnings: Set<string>,
): ToolDefinition {
  if (tool.type !== 'function' || tool.name === undefined) {
    throw new RequestValidationError([
      `tools[${index}].type: ${tool.type} tools cannot be translated for this model; only function tools can`,
    ]);
  }
  if (tool.strict) warnings.add('strict tool schemas were not passed on: the model may stray from them');
  return {
    name: tool.name,
    ...(tool.description != null ? { description: tool.description } : {}),
    parameters: tool.parameters ?? { type: 'object', properties: {} },
  };
}

function convertToolChoice(choice: NonNullable<ResponsesRequest['tool_choice']>): ToolChoice {
  if (typeof choice === 'string') return choice;
  const name = (choice as { name?: unknown }).name;
  if (choice.type === 'function' && typeof name === 'string') return { name };
  throw new RequestValidationError([
    choice.type === 'function'
      ? 'tool_choice.name: is required'
      : `tool_choice.type: ${choice.type} cannot be translated for this model; only function tools can`,
  ]);
}

function convertText(text: ResponsesRequest['text'], warnings: Set<string>): ResponseFormat | undefined {
  if (text?.verbosity != null) warnings.add('text.verbosity was ignored: the model has no such setting');
  const format = text?.format;
  if (format?.type === 'json_object') return { type: 'json' };
  if (format?.type !== 'json_schema') return undefined;
  if (format.description !== undefined) warnings.add('text.format.description was not passed on');
  return {
    type: 'json-schema',
    name: format.name,
    schema: format.schema,
    ...(format.strict != null ? { strict: format.strict } : {}),
  };
}
