import type {
  ChatCompletionCreateParamsBase,
  ChatCompletionTool,
  ChatCompletionToolChoiceOption,
} from 'openai/resources/chat/completions';
import type { ResponseFormat, ToolChoice, ToolDefinition } from '../../types/chat-request.js';

/** Tool definitions in the OpenAI format. */
export function convertToOpenAITools(tools: ToolDefinition[] | undefined): ChatCompletionTool[] | undefined {
  if (!tools?.length) return undefined;
  return tools.map((tool) => ({
    type: 'function',
    function: {
      name: tool.name,
      ...(tool.description !== undefined ? { description: tool.description } : {}),
      parameters: tool.parameters,
    },
  }));
}

/** Tool choice in the OpenAI format. */
export function convertToOpenAIToolChoice(
  choice: ToolChoice | undefined,
): ChatCompletionToolChoiceOption | undefined {
  if (choice === undefined) return undefined;
  if (typeof choice === 'string') return choice;
  return { type: 'function', function: { name: choice.name } };
}

/** JSON / structured output in the OpenAI format. */
export function convertToOpenAIResponseFormat(
  format: ResponseFormat | undefined,
): ChatCompletionCreateParamsBase['response_format'] {
  if (!format || format.type === 'text') return undefined;
  if (format.type === 'json') return { type: 'json_object' };
  return {
    type: 'json_schema',
    json_schema: {
      name: format.name,
      schema: format.schema,
      ...(format.strict !== undefined ? { strict: format.strict } : {}),
    },
  };
}
