import type { ToolChoice as AnthropicToolChoice, Tool } from '@anthropic-ai/sdk/resources/messages';
import type { ToolChoice, ToolDefinition } from '../../types/index.js';
import { anthropicCacheControl } from './anthropic-cache-control.js';

/** Converts our tool definitions to Anthropic custom tools (`input_schema` is the JSON Schema). */
export function convertToAnthropicTools(tools: ToolDefinition[]): Tool[] {
  return tools.map((tool) => ({
    name: tool.name,
    ...(tool.description === undefined ? {} : { description: tool.description }),
    // Anthropic requires an object schema; a schema saying otherwise is passed on for the API to reject.
    input_schema: { type: 'object', ...tool.parameters } as Tool.InputSchema,
    ...anthropicCacheControl(tool.cacheControl),
  }));
}

/**
 * Converts our tool choice to Anthropic's (`required` is Anthropic's `any`);
 * `parallel: false` asks for one tool call at most (there is nothing to say with `none`).
 */
export function convertToAnthropicToolChoice(
  choice: ToolChoice | undefined,
  parallel?: boolean,
): AnthropicToolChoice | undefined {
  const disable = parallel === false ? { disable_parallel_tool_use: true } : {};
  if (choice === undefined) return parallel === false ? { type: 'auto', ...disable } : undefined;
  if (typeof choice === 'object') return { type: 'tool', name: choice.name, ...disable };
  if (choice === 'none') return { type: 'none' };
  return { type: choice === 'required' ? 'any' : 'auto', ...disable };
}
