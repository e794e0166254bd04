import { Decimal } from 'decimal.js';
import type { ModelPricing } from '../types/model-info.js';
import type { TokenUsage } from '../types/token-usage.js';

/** The cost of one call, in USD, with the prices it was computed from. */
export interface CallCost {
  /** Decimal string with 12 digits after the point, or null (unpriced model or unknown usage). */
  usd: string | null;
  /** priced: computed; unpriced: the model has no known price; unknown-usage: no token counts. */
  status: 'priced' | 'unpriced' | 'unknown-usage';
  /** The per-1M prices applied (after choosing a tier), kept on the usage row. */
  pricing: ModelPricing | null;
}

const MILLION = new Decimal(1_000_000);

/**
 * Prices each kind of token at its own rate, in decimals: uncached input, cache reads,
 * cache writes, and output (reasoning is part of output and charged once, as output).
 * Missing cache prices mean those tokens cost the input price. A call whose input
 * passes a tier's threshold is priced entirely at that tier, as providers bill it.
 */
export function computeCost(usage: TokenUsage, pricing: ModelPricing | undefined): CallCost {
  if (!pricing) return { usd: null, status: 'unpriced', pricing: null };
  const input = usage.inputTokens.total;
  const output = usage.outputTokens.total;
  if (input === undefined && output === undefined) return { usd: null, status: 'unknown-usage', pricing };
  const applied = applyTier(pricing, input ?? 0);
  const cacheRead = usage.inputTokens.cacheRead ?? 0;
  const cacheWrite = usage.inputTokens.cacheWrite ?? 0;
  const noCache = usage.inputTokens.noCache ?? Math.max(0, (input ?? 0) - cacheRead - cacheWrite);
  const rate = (perMTok: string | undefined, fallback: string) =>
    new Decimal(perMTok ?? fallback).div(MILLION);
  const usd = rate(applied.inputPerMTok, '0')
    .mul(noCache)
    .plus(rate(applied.cachedInputPerMTok, applied.inputPerMTok).mul(cacheRead))
    .plus(rate(applied.cacheWritePerMTok, applied.inputPerMTok).mul(cacheWrite))
    .plus(rate(applied.outputPerMTok, '0').mul(output ?? 0));
  return { usd: usd.toFixed(12), status: 'priced', pricing: applied };
}

function applyTier(pricing: ModelPricing, inputTokens: number): ModelPricing {
  const tier = [...(pricing.tiers ?? [])]
    .filter((t) => inputTokens > t.aboveInputTokens)
    .sort((a, b) => b.aboveInputTokens - a.aboveInputTokens)[0];
  if (!tier) {
    const { tiers: _tiers, ...base } = pricing;
    return base;
  }
  return {
    inputPerMTok: tier.inputPerMTok,
    outputPerMTok: tier.outputPerMTok,
    cachedInputPerMTok: tier.cachedInputPerMTok ?? pricing.cachedInputPerMTok,
    cacheWritePerMTok: tier.cacheWritePerMTok ?? pricing.cacheWritePerMTok,
    source: `${pricing.source} (above ${tier.aboveInputTokens} input tokens)`,
  };
}
