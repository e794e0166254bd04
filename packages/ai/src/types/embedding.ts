import type { CallCost } from '../cost/compute-cost.js';
import type { TokenUsage } from './token-usage.js';

/** An embeddings call to one provider model. */
export interface EmbedRequest {
  model: string;
  input: string[];
  dimensions?: number;
  signal?: AbortSignal;
  timeoutMs?: number;
}

/** One vector per input, in input order, with the call's usage. */
export interface EmbedResult {
  provider: string;
  model: string;
  embeddings: number[][];
  usage: TokenUsage;
  /** Set by the call pipeline. */
  cost?: CallCost;
}
