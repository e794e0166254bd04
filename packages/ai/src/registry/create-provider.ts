import type { CatalogProvider } from '../catalog/model-catalog.js';
import type { ProviderConfig } from '../config/ai-config.schema.js';
import { requiredProviderFields } from '../config/provider-requirements.js';
import { AnthropicProvider } from '../providers/anthropic/anthropic-provider.js';
import { DEMO_MODELS } from '../providers/demo/demo-models.js';
import { DemoProvider } from '../providers/demo/demo-provider.js';
import { OpenAIChatProvider } from '../providers/openai/openai-chat-provider.js';
import { OpenAICompatibleProvider } from '../providers/openai-compatible/openai-compatible-provider.js';
import {
  GENERIC_OPENAI_COMPATIBLE,
  OPENAI_COMPATIBLE_PRESETS,
} from '../providers/openai-compatible/presets.js';
import type { IAIProvider } from '../types/ai-provider.js';
import type { ProviderSettings } from '../types/provider-settings.js';

/** The price-database provider id of a configured provider (for built-in models and prices). */
export function priceProviderIdOf(config: ProviderConfig): string | undefined {
  if (config.type === 'openai') return 'openai';
  if (config.type === 'anthropic') return 'anthropic';
  return config.preset
    ? (OPENAI_COMPATIBLE_PRESETS[config.preset] as { priceProviderId?: string }).priceProviderId
    : undefined;
}

/** Models a provider brings with their own prices, instead of the price database's. */
export function ownModelsOf(config: ProviderConfig): CatalogProvider['models'] {
  return config.type === 'demo' ? DEMO_MODELS : undefined;
}

/** Builds the provider a config entry describes. */
export function createProvider(
  name: string,
  config: ProviderConfig,
  models: ProviderSettings['models'],
  logger?: ProviderSettings['logger'],
): IAIProvider {
  // An empty key (e.g. `${KEY:-}`) is no key. Without a required one the Anthropic SDK
  // would fall back to keys found on the machine.
  const apiKey = config.apiKey || undefined;
  const present = { apiKey, baseUrl: config.baseUrl };
  for (const [field, why] of Object.entries(requiredProviderFields(config))) {
    if (!present[field as keyof typeof present]) throw new Error(`providers.${name}.${field}: ${why}`);
  }
  const settings: ProviderSettings = {
    name,
    displayName: config.displayName,
    apiKey,
    baseUrl: config.baseUrl,
    timeoutMs: config.timeoutMs,
    headers: config.headers,
    models,
    logger,
  };
  switch (config.type) {
    case 'openai':
      return new OpenAIChatProvider(settings);
    case 'anthropic':
      return new AnthropicProvider(settings);
    case 'openai-compatible': {
      const preset = config.preset ? OPENAI_COMPATIBLE_PRESETS[config.preset] : GENERIC_OPENAI_COMPATIBLE;
      return new OpenAICompatibleProvider(settings, preset);
    }
    case 'demo':
      return new DemoProvider({ name, displayName: config.displayName, models });
  }
}
