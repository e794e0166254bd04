import type { MessageCreateParamsBase } from '@anthropic-ai/sdk/resources/messages';
import type { ChatRequest } from '../../types/index.js';
import { convertToAnthropicMessages } from './convert-to-anthropic-messages.js';
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

/** Builds the Messages API body of a chat request; unsupported settings become warnings. */
export function buildAnthropicRequest(request: ChatRequest): AnthropicRequest {
  const warnings: string[] = [];
  const prompt = convertToAnthropicMessages(request.messages);
  let system = prompt.system;
  let outputConfig: MessageCreateParamsBase['output_config'];

  // API version 2026-10-21 (sent by SDK 1.x) rejects every sampling parameter with a 400.
  if (request.temperature !== undefined) {
    warnings.push('temperature is not supported by the Anthropic API (version 2026-10-21) and was not sent');
  }
  if (request.topP !== undefined) {
    warnings.push('topP is not supported by the Anthropic API (version 2026-10-21) and was not sent');
  }

  const format = request.responseFormat;
  if (format?.type === 'json-schema') {
    // Structured outputs: the API constrains the answer to the schema (always strict).
    outputConfig = { format: { type: 'json_schema', schema: format.schema } };
  } else if (format?.type === 'json') {
    system = system ? `${system}\n\n${JSON_INSTRUCTION}` : JSON_INSTRUCTION;
    warnings.push(
      'responseFormat json: Anthropic has no schemaless JSON mode; JSON was asked for in the system prompt and is not guaranteed',
    );
  }

  const tools = request.tools?.length ? convertToAnthropicTools(request.tools) : undefined;
  if (request.toolChoice !== undefined && !tools) {
    warnings.push('toolChoice was ignored: the request has no tools');
  }

  const body: MessageCreateParamsBase = {
    model: request.model,
    max_tokens: request.maxTokens ?? DEFAULT_ANTHROPIC_MAX_TOKENS,
    messages: prompt.messages,
    ...(system !== undefined ? { system } : {}),
    ...(tools ? { tools } : {}),
    ...(tools && request.toolChoice !== undefined
      ? { tool_choice: convertToAnthropicToolChoice(request.toolChoice) }
      : {}),
    ...(request.stop?.length ? { stop_sequences: request.stop } : {}),
    ...(outputConfig ? { output_config: outputConfig } : {}),
    // Passed through as they are: the caller's explicit choice wins (e.g. `thinking`, `metadata`).
    ...request.providerOptions,
  };
  return { body, warnings };
}
