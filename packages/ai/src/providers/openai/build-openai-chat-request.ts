import type { ChatCompletionCreateParamsBase } from 'openai/resources/chat/completions';
import type { ChatRequest } from '../../types/chat-request.js';
import type { ModelInfo } from '../../types/model-info.js';
import { providerOptionsFor } from '../provider-options-for.js';
import { CACHE_CONTROL_WARNING, convertToOpenAIChatMessages } from './convert-to-openai-chat-messages.js';
import { convertToOpenAIReasoning } from './convert-to-openai-reasoning.js';
import {
  convertToOpenAIResponseFormat,
  convertToOpenAIToolChoice,
  convertToOpenAITools,
} from './convert-to-openai-tools.js';
import type { OpenAIDialect } from './openai-chat-provider.js';

/** The provider a Chat Completions body is built for. */
export interface OpenAIChatTarget {
  /** Registry name, for `providerOptions`. */
  provider: string;
  dialect: OpenAIDialect;
  /** The catalog's models of the provider (which of them reason). */
  models: () => ModelInfo[];
}

/** The body of a Chat Completions call (without `stream`), and the settings it had to leave out. */
export interface OpenAIChatRequest {
  body: ChatCompletionCreateParamsBase;
  warnings: string[];
}

/**
 * Builds the Chat Completions body of a chat request for one OpenAI-format provider;
 * settings it cannot take become warnings. `providerOptions` go in last: `openai` (the
 * format's own fields, which every OpenAI-format server reads), then the provider's
 * type, then its registry name.
 */
export function buildOpenAIChatRequest(request: ChatRequest, target: OpenAIChatTarget): OpenAIChatRequest {
  const { dialect } = target;
  const prompt = convertToOpenAIChatMessages(request.messages, dialect);
  const warnings = new Set(prompt.warnings);
  const body: ChatCompletionCreateParamsBase = { model: request.model, messages: prompt.messages };

  const tools = convertToOpenAITools(request.tools);
  if (tools) body.tools = tools;
  if (request.tools?.some((tool) => tool.cacheControl)) {
    warnings.add(
      dialect.cacheControl
        ? 'cache_control on tools was not sent: this server takes breakpoints on text parts only'
        : CACHE_CONTROL_WARNING,
    );
  }
  const toolChoice = convertToOpenAIToolChoice(request.toolChoice);
  if (toolChoice && tools) body.tool_choice = toolChoice;
  else if (toolChoice) warnings.add('toolChoice was ignored: no tools were given');
  // OpenAI rejects parallel_tool_calls without tools; without tools it means nothing anyway.
  if (request.parallelToolCalls !== undefined && tools) body.parallel_tool_calls = request.parallelToolCalls;

  const responseFormat = convertToOpenAIResponseFormat(request.responseFormat);
  if (responseFormat) body.response_format = responseFormat;
  if (request.temperature !== undefined) body.temperature = request.temperature;
  if (request.topP !== undefined) body.top_p = request.topP;
  if (request.topK !== undefined) {
    if (dialect.topK) Object.assign(body, { top_k: request.topK });
    else warnings.add('topK was not sent: OpenAI has no top_k');
  }
  if (request.stop?.length) body.stop = request.stop;
  if (request.maxTokens !== undefined) body[dialect.maxTokensField] = request.maxTokens;
  if (request.n !== undefined) body.n = request.n;
  if (request.metadata?.userId !== undefined) body.user = request.metadata.userId;

  const reasons = request.reasoning
    ? target.models().some((model) => model.id === request.model && model.capabilities.reasoning)
    : false;
  const reasoning = convertToOpenAIReasoning(request.reasoning, request.model, reasons);
  for (const warning of reasoning.warnings) warnings.add(warning);
  if (reasoning.effort) Object.assign(body, { reasoning_effort: reasoning.effort });

  Object.assign(
    body,
    request.providerOptions?.openai,
    providerOptionsFor(request.providerOptions, dialect.type, target.provider),
  );
  return { body, warnings: [...warnings] };
}
