export { type CatalogProvider, ModelCatalog, type ModelOverride } from './catalog/model-catalog.js';
export {
  type AiConfigFile,
  aiConfigSchema,
  type ProviderConfig,
  type RouteConfig,
} from './config/ai-config.schema.js';
export { type DemoProviderSetting, demoProviderSetting } from './config/demo-provider-setting.js';
export { AiConfigError, loadAiConfig, parseAiConfig } from './config/load-ai-config.js';
export { providersFromEnv } from './config/providers-from-env.js';
export { type CallCost, computeCost } from './cost/compute-cost.js';
export { computeMediaCost } from './cost/compute-media-cost.js';
export * from './errors/index.js';
export { sharedFetch } from './http/shared-fetch.js';
export { createUndiciFetch, type Fetch, type UndiciFetchOptions } from './http/undici-fetch.js';
export * from './limits/index.js';
export { AiModule } from './nest/ai.module.js';
export type { AiModuleOptions } from './nest/ai-module-options.js';
export { AiRuntime } from './nest/ai-runtime.js';
export type { AiChatRequest, AiWireRequest, RoutingSettings } from './nest/ai-service.js';
export { AiService } from './nest/ai-service.js';
export type { AudioInput, MediaAnswer, MediaFields } from './nest/media-answer.js';
export { currentAiContext, runWithAiContext } from './pipeline/call-context-storage.js';
export type { CallInfo, CallInterceptor } from './pipeline/call-interceptor.js';
export { CallPipeline } from './pipeline/call-pipeline.js';
export { prepend, primeStream, stopStream } from './pipeline/prime-stream.js';
export { UsageInterceptor } from './pipeline/usage-interceptor.js';
export { uuidv7 } from './pipeline/uuid-v7.js';
export { AnthropicProvider } from './providers/anthropic/anthropic-provider.js';
export { DEMO_MODELS, DEMO_OWNER, DEMO_PROVIDER_NAME } from './providers/demo/demo-models.js';
export { DemoProvider, type DemoProviderOptions } from './providers/demo/demo-provider.js';
export { forwardedHeaders } from './providers/native/forwarded-headers.js';
export { OpenAIChatProvider } from './providers/openai/openai-chat-provider.js';
export { OpenAICompatibleProvider } from './providers/openai-compatible/openai-compatible-provider.js';
export {
  OPENAI_COMPATIBLE_PRESETS,
  type OpenAICompatiblePresetName,
} from './providers/openai-compatible/presets.js';
export { buildRegistry, type RegistrySources } from './registry/build-registry.js';
export {
  NoSuchProviderError,
  ProviderRegistry,
  type ResolvedModel,
  type RouteDefinition,
  type RouteTarget,
} from './registry/provider-registry.js';
export { type BreakerSettings, type BreakerState, CircuitBreakers } from './routing/circuit-breakers.js';
export * from './types/index.js';
export { audioDuration } from './usage/audio-duration.js';
export type { UsageRecord } from './usage/usage-record.js';
export type { UsageSink } from './usage/usage-sink.js';
export { UsageWriter } from './usage/usage-writer.js';
