import {
  GENERIC_OPENAI_COMPATIBLE,
  OPENAI_COMPATIBLE_PRESETS,
} from '../providers/openai-compatible/presets.js';
import type { ProviderConfig } from './ai-config.schema.js';

/** The fields of a provider entry that can be required beyond its type. */
export type RequirableField = 'apiKey' | 'baseUrl';

/**
 * The fields a provider entry cannot be built without, each with why (for messages): a
 * key for `anthropic` and for a keyed `openai-compatible` preset, a base URL for
 * `openai-compatible` without a preset. An empty key counts as none.
 */
export function requiredProviderFields(config: ProviderConfig): Partial<Record<RequirableField, string>> {
  if (config.type === 'anthropic') return { apiKey: 'required for an anthropic provider' };
  if (config.type !== 'openai-compatible') return {};
  const preset = config.preset ? OPENAI_COMPATIBLE_PRESETS[config.preset] : GENERIC_OPENAI_COMPATIBLE;
  const required: Partial<Record<RequirableField, string>> = {};
  if (!preset.baseUrl) required.baseUrl = 'required for an openai-compatible provider without a preset';
  if (!preset.keyless) required.apiKey = `required for ${preset.displayName}`;
  return required;
}
