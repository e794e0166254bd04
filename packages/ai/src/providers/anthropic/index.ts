export { AnthropicProvider } from './anthropic-provider.js';
export { buildAnthropicRequest, DEFAULT_ANTHROPIC_MAX_TOKENS } from './build-anthropic-request.js';
export {
  type AnthropicUsageBlock,
  convertAnthropicUsage,
  mergeAnthropicUsage,
} from './convert-anthropic-usage.js';
export { type AnthropicPrompt, convertToAnthropicMessages } from './convert-to-anthropic-messages.js';
export { convertToAnthropicToolChoice, convertToAnthropicTools } from './convert-to-anthropic-tools.js';
export { mapAnthropicError } from './map-anthropic-error.js';
export { mapAnthropicFinishReason } from './map-anthropic-finish-reason.js';
