import type { MessageCreateParamsBase, TextBlockParam } from '@anthropic-ai/sdk/resources/messages';
import { BadRequestError } from '../../errors/index.js';
import type { ChatRequest } from '../../types/index.js';
import { providerOptionsFor } from '../provider-options-for.js';
import { checkOpenAIOptions } from './check-openai-options.js';
import { convertToAnthropicMessages } from './convert-to-anthropic-messages.js';
import { convertToAnthropicThinking } from './convert-to-anthropic-thinking.js';
import { convertToAnthropicToolChoice, convertToAnthropicTools } from './convert-to-anthropic-tools.js';

/** Anthropic requires `max_tokens`; this is what a request without `maxTokens` asks for. */
export const DEFAULT_ANTHROPIC_MAX_TOKENS = 4096;

/** Asks for JSON where the API has no schemaless JSON mode. */
export const JSON_INSTRUCTION =
  'Respond with a single valid JSON object and nothing else: no prose, no Markdown code fences.';

/** The body of a Messages API call (without `stream`), and the settings it had to ignore. */
export interface AnthropicRequest {
  body: MessageCreateParamsBase;
  warnings: string[];
}

/**
 * Builds the Messages API body of a chat request; unsupported settings become warnings,
 * and settings the answer could not honour (`n` above 1, log probabilities) a
 * BadRequestError naming them. `provider` is the registry name, for `providerOptions`.
 */
export function buildAnthropicRequest(request: ChatRequest, provider = 'anthropic'): AnthropicRequest {
  if (request.n !== undefined && request.n > 1) {
    throw new BadRequestError(
      `${provider}: n = ${request.n} is not supported: Anthropic models give one answer per call (n must be 1)`,
      { provider },
    );
  }
  const prompt = convertToAnthropicMessages(request.messages);
  const warnings = [...prompt.warnings];
  let system = prompt.system;
  let outputConfig: MessageCreateParamsBase['output_config'];

  // API version 2026-10-21 (sent by SDK 1.x) rejects every sampling parameter with a 400.
  if (request.temperature !== undefined) {
    warnings.push('temperature is not supported by the Anthropic API (version 2026-10-21) and was not sent');
  }
  if (request.topP !== undefined) {
    warnings.push('topP is not supported by the Anthropic API (version 2026-10-21) and was not sent');
  }
  if (request.topK !== undefined) {
    warnings.push('topK is not supported by the Anthropic API (version 2026-10-21) and was not sent');
  }

  const format = request.responseFormat;
  if (format?.type === 'json-schema') {
    // Structured outputs: the API constrains the answer to the schema (always strict).
    outputConfig = { format: { type: 'json_schema', schema: format.schema } };
  } else if (format?.type === 'json') {
    system = withInstruction(system, JSON_INSTRUCTION);
    warnings.push(
      'responseFormat json: Anthropic has no schemaless JSON mode; JSON was asked for in the system prompt and is not guaranteed',
    );
  }

  const tools = request.tools?.length ? convertToAnthropicTools(request.tools) : undefined;
  if (request.toolChoice !== undefined && !tools) {
    warnings.push('toolChoice was ignored: the request has no tools');
  }
  const toolChoice = tools
    ? convertToAnthropicToolChoice(request.toolChoice, request.parallelToolCalls)
    : undefined;

  const thinking = convertToAnthropicThinking(
    request.reasoning,
    request.maxTokens,
    DEFAULT_ANTHROPIC_MAX_TOKENS,
  );
  warnings.push(...thinking.warnings);
  warnings.push(...checkOpenAIOptions(provider, request.providerOptions?.openai));

  const body: MessageCreateParamsBase = {
    model: request.model,
    max_tokens: thinking.maxTokens,
    messages: prompt.messages,
    ...(system !== undefined ? { system } : {}),
    ...(tools ? { tools } : {}),
    ...(toolChoice ? { tool_choice: toolChoice } : {}),
    ...(request.stop?.length ? { stop_sequences: request.stop } : {}),
    ...(thinking.thinking ? { thinking: thinking.thinking } : {}),
    ...(outputConfig ? { output_config: outputConfig } : {}),
    ...(request.metadata?.userId !== undefined ? { metadata: { user_id: request.metadata.userId } } : {}),
    // The caller's explicit choice wins (e.g. `service_tier`, `container`).
    ...providerOptionsFor(request.providerOptions, 'anthropic', provider),
  };
  return { body, warnings };
}

/** The system prompt with an instruction added at its end. */
function withInstruction(
  system: string | TextBlockParam[] | undefined,
  instruction: string,
): string | TextBlockParam[] {
  if (system === undefined) return instruction;
  if (typeof system === 'string') return `${system}\n\n${instruction}`;
  return [...system, { type: 'text', text: instruction }];
}
