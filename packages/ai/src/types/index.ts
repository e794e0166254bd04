export type { IAIProvider, ProviderHealth } from './ai-provider.js';
export type { CacheControl } from './cache-control.js';
export type {
  BudgetPeriod,
  BudgetRule,
  CallContext,
  LimitScope,
  ModelAllowlist,
  TokenRateRule,
} from './call-context.js';
export type {
  ChatMessage,
  ImageDetail,
  ReasoningPart,
  TextPart,
  ToolCall,
  UserContentPart,
} from './chat-message.js';
export type {
  ChatRequest,
  ProviderOptions,
  ReasoningSettings,
  ResponseFormat,
  ToolChoice,
  ToolDefinition,
} from './chat-request.js';
export type { ChatChoice, ChatResult } from './chat-result.js';
export type { ChatStreamPart } from './chat-stream-part.js';
export type { EmbedRequest, EmbedResult } from './embedding.js';
export type { FinishReason } from './finish-reason.js';
export type { MediaFile, MediaKind, MediaOutcome, MediaRequest, MediaResult, MediaUnits } from './media.js';
export type { ModelCapabilities, ModelInfo, ModelPricing } from './model-info.js';
export type { NativeBody, NativeReply, WireFormat } from './native-body.js';
export { type ProviderLogger, type ProviderSettings, sdkLogger } from './provider-settings.js';
export type { TokenCountRequest, TokenCountResult } from './token-count.js';
export { addCounts, type TokenUsage, totalTokens, type UsageSource, unknownUsage } from './token-usage.js';
