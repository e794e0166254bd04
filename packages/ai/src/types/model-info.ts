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
 * those tokens cost the input price.
 */
export interface ModelPricing {
  inputPerMTok: string;
  outputPerMTok: string;
  cachedInputPerMTok?: string;
  cacheWritePerMTok?: string;
  /** Higher prices once a call's input exceeds a size (e.g. Claude past 200k tokens). */
  tiers?: {
    aboveInputTokens: number;
    inputPerMTok: string;
    outputPerMTok: string;
    cachedInputPerMTok?: string;
    cacheWritePerMTok?: string;
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
