import type { AiConfigFile } from '../config/ai-config.schema.js';
import type { ProviderRateLimit } from './rate-limit-interceptor.js';

/** Each configured provider's `rpmLimit` / `tpmLimit`, by provider name (only those that set one). */
export function providerRateLimits(config: AiConfigFile | undefined): Record<string, ProviderRateLimit> {
  const limits: Record<string, ProviderRateLimit> = {};
  for (const [name, provider] of Object.entries(config?.providers ?? {})) {
    if (provider.rpmLimit || provider.tpmLimit) {
      limits[name] = { rpmLimit: provider.rpmLimit, tpmLimit: provider.tpmLimit };
    }
  }
  return limits;
}
