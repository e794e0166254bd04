import type { ModelPricing } from '../types/model-info.js';
import type { TokenUsage } from '../types/token-usage.js';
import { scaledPrice, usdFromDecimal, usdFromScaled } from './scaled-price.js';

/** The cost of one call, in USD, with the prices it was computed from. */
export interface CallCost {
  /** Decimal string with 12 digits after the point, or null (unpriced model or unknown usage). */
  usd: string | null;
  /** priced: computed; unpriced: the model has no known price; unknown-usage: no token counts. */
  status: 'priced' | 'unpriced' | 'unknown-usage';
  /** The per-1M prices applied (after choosing a tier), kept on the usage row. */
  pricing: ModelPricing | null;
}

/**
 * Prices each kind of token at its own rate, in decimals: uncached input, cache reads,
 * cache writes (5-minute and 1-hour TTL apart), and output (reasoning is part of output
 * and charged once, as output); then web searches, when the pricing has a price for them.
 * Missing cache prices mean those tokens cost the input price; a missing 1-hour write
 * price means 1-hour writes cost the 5-minute write price, else the input price. Writes
 * whose TTL split is unknown are priced as 5-minute writes (the providers' default). A
 * call whose input passes a tier's threshold is priced entirely at that tier, as
 * providers bill it.
 */
export function computeCost(usage: TokenUsage, pricing: ModelPricing | undefined): CallCost {
  if (!pricing) return { usd: null, status: 'unpriced', pricing: null };
  const input = usage.inputTokens.total;
  const output = usage.outputTokens.total;
  if (input === undefined && output === undefined) return { usd: null, status: 'unknown-usage', pricing };
  const applied = applyTier(pricing, input ?? 0);
  const cacheRead = usage.inputTokens.cacheRead ?? 0;
  const cacheWrite1h = usage.inputTokens.cacheWrite1h ?? 0;
  const cacheWrite5m = Math.max(0, (usage.inputTokens.cacheWrite ?? 0) - cacheWrite1h);
  const noCache =
    usage.inputTokens.noCache ?? Math.max(0, (input ?? 0) - cacheRead - cacheWrite5m - cacheWrite1h);
  const writePrice = applied.cacheWritePerMTok ?? applied.inputPerMTok ?? '0';
  // Audio and image tokens at their own rates, where the pricing has them (else as text).
  const m = usage.modalities;
  const own = (count: number | undefined, price: string | undefined) =>
    price === undefined ? 0 : (count ?? 0);
  const inputAudio = own(m?.inputAudio, applied.inputAudioPerMTok);
  const inputImage = own(m?.inputImage, applied.inputImagePerMTok);
  const outputImage = own(m?.outputImage, applied.outputImagePerMTok);
  const outputAudio = own(m?.outputAudio, applied.outputAudioPerMTok);
  const terms: [number, string][] = [
    [Math.max(0, noCache - inputAudio - inputImage), applied.inputPerMTok ?? '0'],
    [cacheRead, applied.cachedInputPerMTok ?? applied.inputPerMTok ?? '0'],
    [cacheWrite5m, writePrice],
    [cacheWrite1h, applied.cacheWrite1hPerMTok ?? writePrice],
    [Math.max(0, (output ?? 0) - outputImage - outputAudio), applied.outputPerMTok ?? '0'],
    [inputAudio, applied.inputAudioPerMTok ?? '0'],
    [inputImage, applied.inputImagePerMTok ?? '0'],
    [outputImage, applied.outputImagePerMTok ?? '0'],
    [outputAudio, applied.outputAudioPerMTok ?? '0'],
  ];
  // n searches at $p per 1,000 are n × 1,000 "tokens" at $p per 1M: the same exact sum.
  const searches = usage.serverTools?.webSearchRequests;
  if (searches && applied.webSearchPerThousand !== undefined) {
    terms.push([searches * 1000, applied.webSearchPerThousand]);
  }
  // Integer arithmetic (exact, and ~10× faster than decimal.js); decimal.js for prices
  // written in a form the integer path does not read.
  const scaled = terms.map(([tokens, price]) => [tokens, scaledPrice(price)] as const);
  const usd = scaled.every((t): t is readonly [number, bigint] => t[1] !== null)
    ? usdFromScaled(scaled)
    : usdFromDecimal(terms);
  return { usd, status: 'priced', pricing: applied };
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
    cacheWrite1hPerMTok: tier.cacheWrite1hPerMTok ?? pricing.cacheWrite1hPerMTok,
    webSearchPerThousand: pricing.webSearchPerThousand,
    ...mediaRates(pricing),
    source: `${pricing.source} (above ${tier.aboveInputTokens} input tokens)`,
  };
}

/** The audio and image token rates of a pricing, which tiers do not change. */
function mediaRates(pricing: ModelPricing): Partial<ModelPricing> {
  const { inputAudioPerMTok, inputImagePerMTok, outputImagePerMTok, outputAudioPerMTok } = pricing;
  return Object.fromEntries(
    Object.entries({ inputAudioPerMTok, inputImagePerMTok, outputImagePerMTok, outputAudioPerMTok }).filter(
      ([, v]) => v !== undefined,
    ),
  );
}
