import { sharedFetch } from '../http/shared-fetch.js';
import { type ProviderSettings, sdkLogger } from '../types/provider-settings.js';

/**
 * What every official SDK client we build is given besides its key, the same for the
 * `openai` and `@anthropic-ai/sdk` clients:
 * - `timeout`: calls are timed by `callSignal`. A set timeout also stops the Anthropic
 *   SDK from refusing non-streaming calls whose max_tokens could take longer than 10
 *   minutes.
 * - `maxRetries: 0`: retries belong to our routing layer, which sees every attempt and
 *   knows about budgets and fallbacks.
 * - `fetch`: undici's request() under a shared keep-alive pool, much less CPU per call
 *   than the global fetch.
 */
export function sdkClientOptions(settings: ProviderSettings) {
  return {
    baseURL: settings.baseUrl,
    timeout: settings.timeoutMs ?? 600_000,
    maxRetries: 0,
    defaultHeaders: settings.headers,
    logger: sdkLogger(settings.logger),
    fetch: sharedFetch,
  };
}
