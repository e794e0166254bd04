import type { ChatRequest, ToolChoice, ToolDefinition } from '@aigw/ai';
import { RequestValidationError } from '../../http/zod-validation.js';
import type { ChatCompletionRequest } from './chat-completions.schemas.js';
import { convertOpenAIMessages } from './convert-openai-messages.js';

// The fields this module maps (or the route reads); every other field goes to
// `providerOptions.openai`: an OpenAI-format provider gets it as it is, another one warns.
const MAPPED = new Set([
  'model',
  'messages',
  'tools',
  'tool_choice',
  'parallel_tool_calls',
  'response_format',
  'temperature',
  'top_p',
  'max_tokens',
  'max_completion_tokens',
  'stop',
  'n',
  'reasoning_effort',
  'stream',
  'stream_options',
  'user',
  'safety_identifier',
]);

/** A Chat Completions request as our ChatRequest, and what of it could not be carried over. */
export interface ConvertedOpenAIRequest {
  request: ChatRequest;
  /** What the translation could not carry, for the x-aigw-warnings header and the usage row. */
  warnings: string[];
}

/**
 * An OpenAI Chat Completions request as our ChatRequest (the model name is resolved
 * later), for a provider that does not speak the format. What our model cannot carry
 * and the answer depends on (custom tools, deprecated function calling, audio or file
 * input) is a 400 naming the field.
 */
export function convertOpenAIRequest(
  body: ChatCompletionRequest,
  signal?: AbortSignal,
): ConvertedOpenAIRequest {
  const warnings = new Set<string>();
  for (const legacy of ['functions', 'function_call'] as const) {
    if (body[legacy] != null) {
      throw new RequestValidationError([
        `${legacy}: deprecated function calling cannot be translated for this model; use tools and tool_choice`,
      ]);
    }
  }
  const request: ChatRequest = {
    model: body.model,
    messages: convertOpenAIMessages(body.messages, warnings),
  };
  const tools = convertTools(body.tools ?? [], warnings);
  const choice = body.tool_choice;
  if (choice && typeof choice === 'object' && choice.type === 'allowed_tools') {
    // Only these tools may be called: the others are left out, which is the same to the model.
    const allowed = new Set(choice.allowed_tools.tools.map(allowedName));
    const kept = tools.filter((tool) => allowed.has(tool.name));
    if (kept.length) request.tools = kept;
    request.toolChoice = choice.allowed_tools.mode;
  } else {
    if (tools.length) request.tools = tools;
    if (choice) request.toolChoice = convertToolChoice(choice);
  }
  if (body.parallel_tool_calls !== undefined) request.parallelToolCalls = body.parallel_tool_calls;

  const format = body.response_format;
  if (format?.type === 'json_object') request.responseFormat = { type: 'json' };
  if (format?.type === 'json_schema') {
    request.responseFormat = {
      type: 'json-schema',
      name: format.json_schema.name,
      schema: format.json_schema.schema ?? {},
      ...(format.json_schema.strict != null ? { strict: format.json_schema.strict } : {}),
    };
    if (format.json_schema.description !== undefined) {
      warnings.add('response_format.json_schema.description was not passed on');
    }
  }
  if (body.temperature != null) request.temperature = body.temperature;
  if (body.top_p != null) request.topP = body.top_p;
  const maxTokens = body.max_completion_tokens ?? body.max_tokens;
  if (maxTokens != null) request.maxTokens = maxTokens;
  if (body.stop != null) request.stop = typeof body.stop === 'string' ? [body.stop] : body.stop;
  if (body.n != null) request.n = body.n;
  if (body.reasoning_effort != null) request.reasoning = { effort: body.reasoning_effort };

  const passthrough = Object.fromEntries(Object.entries(body).filter(([key]) => !MAPPED.has(key)));
  // `safety_identifier` replaces `user`: it names the end user when both are there.
  const userId = body.safety_identifier ?? body.user;
  if (userId != null) request.metadata = { userId };
  if (body.safety_identifier != null && body.user !== undefined) passthrough.user = body.user;
  if (Object.keys(passthrough).length) request.providerOptions = { openai: passthrough };
  if (signal) request.signal = signal;
  return { request, warnings: [...warnings] };
}

function convertTools(
  tools: NonNullable<ChatCompletionRequest['tools']>,
  warnings: Set<string>,
): ToolDefinition[] {
  return tools.map((tool, index) => {
    if (tool.type !== 'function') {
      throw new RequestValidationError([
        `tools[${index}].type: custom tools cannot be translated for this model`,
      ]);
    }
    if (tool.function.strict)
      warnings.add('strict tool schemas were not passed on: the model may stray from them');
    return {
      name: tool.function.name,
      ...(tool.function.description !== undefined ? { description: tool.function.description } : {}),
      parameters: tool.function.parameters ?? { type: 'object', properties: {} },
    };
  });
}

function convertToolChoice(choice: NonNullable<ChatCompletionRequest['tool_choice']>): ToolChoice {
  if (typeof choice === 'string') return choice;
  if (choice.type === 'function') return { name: choice.function.name };
  throw new RequestValidationError([
    'tool_choice.type: a custom tool choice cannot be translated for this model',
  ]);
}

/** The name of a tool in an `allowed_tools` list (`{ type: 'function', function: { name } }`). */
function allowedName(tool: Record<string, unknown>): string | undefined {
  const inner = tool[String(tool.type)] as { name?: unknown } | undefined;
  return typeof inner?.name === 'string' ? inner.name : undefined;
}
