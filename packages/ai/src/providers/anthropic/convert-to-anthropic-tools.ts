import type { ToolChoice as AnthropicToolChoice, Tool } from '@anthropic-ai/sdk/resources/messages';
import type { ToolChoice, ToolDefinition } from '../../types/index.js';

/** Converts our tool definitions to Anthropic custom tools (`input_schema` is the JSON Schema). */
export function convertToAnthropicTools(tools: ToolDefinition[]): Tool[] {
  return tools.map((tool) => ({
    name: tool.name,
    ...(tool.description === undefined ? {} : { description: tool.description }),
    // Anthropic requires an object schema; a schema saying otherwise is passed on for the API to reject.
    input_schema: { type: 'object', ...tool.parameters } as Tool.InputSchema,
  }));
}

/** Converts our tool choice to Anthropic's (`required` is Anthropic's `any`). */
export function convertToAnthropicToolChoice(choice: ToolChoice): AnthropicToolChoice {
  if (typeof choice === 'object') return { type: 'tool', name: choice.name };
  if (choice === 'required') return { type: 'any' };
  return { type: choice };
}
