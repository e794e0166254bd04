/** What a model can do. */
export interface ModelCapabilities {
  chat: boolean;
  streaming: boolean;
  tools: boolean;
  vision: boolean;
  jsonOutput: boolean;
  embeddings: boolean;
  reasoning: boolean;
}

/**
 * USD per 1M tokens, as decimal strings (never floats). Missing cache prices mean
 * those tokens cost the input price; a missing 1-hour write price, the (5-minute) write price.
 */
export interface ModelPricing {
  inputPerMTok: string;
  outputPerMTok: string;
  cachedInputPerMTok?: string;
  /** Cache writes with the default TTL (Anthropic: 5 minutes). */
  cacheWritePerMTok?: string;
  /** Cache writes with a 1-hour TTL. */
  cacheWrite1hPerMTok?: string;
  /** USD per 1,000 web searches run by the provider; missing: searches are not priced. */
  webSearchPerThousand?: string;
  /** Higher prices once a call's input exceeds a size (e.g. Claude past 200k tokens). */
  tiers?: {
    aboveInputTokens: number;
    inputPerMTok: string;
    outputPerMTok: string;
    cachedInputPerMTok?: string;
    cacheWritePerMTok?: string;
    cacheWrite1hPerMTok?: string;
  }[];
  /** Where the prices come from: `config`, or the bundled price database. */
  source: string;
}

/** A model in the catalog. */
export interface ModelInfo {
  /** Provider name, as registered. */
  provider: string;
  /** The provider's model id. */
  id: string;
  contextWindow?: number;
  capabilities: ModelCapabilities;
  /** Undefined: no known price (calls are recorded as unpriced, never as free). */
  pricing?: ModelPricing;
}
