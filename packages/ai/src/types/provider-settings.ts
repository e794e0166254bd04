import type { ModelInfo } from './model-info.js';

/** What every provider is built from. */
export interface ProviderSettings {
  /** Registry name: what `provider/model` uses. */
  name: string;
  displayName?: string;
  apiKey?: string;
  /** Base URL of the API (for OpenAI-style APIs including `/v1`). */
  baseUrl?: string;
  /** Default per-call timeout. */
  timeoutMs?: number;
  /** Extra headers sent with every call. */
  headers?: Record<string, string>;
  /** The catalog's models of this provider (prices, capabilities). */
  models: () => ModelInfo[];
}
