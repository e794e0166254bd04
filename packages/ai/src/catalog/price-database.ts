import { calcPrice } from '@pydantic/genai-prices';
import { Decimal } from 'decimal.js';
import type { ModelPricing } from '../types/model-info.js';

const SOURCE = 'genai-prices';

type Rate = number | { base: number; tiers?: { start: number; price: number }[] } | undefined;

/**
 * Prices and context window of a model from `@pydantic/genai-prices`' bundled database
 * (never its online update: this must work offline). Rates arrive as JS numbers and
 * leave as decimal strings; all arithmetic on them happens in decimals.
 */
export function lookupPriceDatabase(
  priceProviderId: string,
  modelId: string,
): { pricing: ModelPricing; contextWindow?: number } | undefined {
  let found: ReturnType<typeof calcPrice>;
  try {
    found = calcPrice({ input_tokens: 0, output_tokens: 0 }, modelId, { providerId: priceProviderId });
  } catch {
    return undefined;
  }
  if (!found) return undefined;
  const prices = found.model_price as Record<string, Rate>;
  // Whisper is billed by the hour of audio only: its tokens are free, not unknown.
  const perHour = base(prices.input_audio_hours ?? prices.audio_hours);
  const input = base(prices.input_mtok) ?? (perHour !== undefined ? '0' : undefined);
  // Embedding models bill input only: no output price means output is free, not unknown.
  const output = base(prices.output_mtok) ?? '0';
  if (input === undefined) return undefined;
  const pricing: ModelPricing = { inputPerMTok: input, outputPerMTok: output, source: SOURCE };
  if (perHour !== undefined) pricing.perMinute = new Decimal(perHour).div(60).toFixed();
  const modal = {
    inputAudioPerMTok: base(prices.input_audio_mtok),
    inputImagePerMTok: base(prices.input_image_mtok),
    outputImagePerMTok: base(prices.output_image_mtok),
    outputAudioPerMTok: base(prices.output_audio_mtok),
  };
  for (const [field, value] of Object.entries(modal)) {
    if (value !== undefined) pricing[field as keyof typeof modal] = value;
  }
  const cacheRead = base(prices.cache_read_mtok);
  const cacheWrite = base(prices.cache_write_mtok);
  const cacheWrite1h = base(prices.cache_write_1h_mtok);
  const webSearch = base(prices.web_searches_kcount);
  if (cacheRead !== undefined) pricing.cachedInputPerMTok = cacheRead;
  if (cacheWrite !== undefined) pricing.cacheWritePerMTok = cacheWrite;
  if (cacheWrite1h !== undefined) pricing.cacheWrite1hPerMTok = cacheWrite1h;
  // USD per 1,000 searches in the database as in ours.
  if (webSearch !== undefined) pricing.webSearchPerThousand = webSearch;
  const tiers = tiersOf(prices);
  if (tiers.length) pricing.tiers = tiers;
  return { pricing, contextWindow: found.model.context_window };
}

function base(rate: Rate): string | undefined {
  if (rate === undefined) return undefined;
  return decimalString(typeof rate === 'number' ? rate : rate.base);
}

function tierPrice(rate: Rate, start: number): string | undefined {
  if (rate === undefined) return undefined;
  if (typeof rate === 'number') return decimalString(rate);
  // The highest tier whose start is at or below this one.
  const tier = [...(rate.tiers ?? [])].filter((t) => t.start <= start).sort((a, b) => b.start - a.start)[0];
  return decimalString(tier ? tier.price : rate.base);
}

function tiersOf(prices: Record<string, Rate>): NonNullable<ModelPricing['tiers']> {
  const starts = new Set<number>();
  for (const rate of Object.values(prices)) {
    if (rate && typeof rate === 'object') for (const t of rate.tiers ?? []) starts.add(t.start);
  }
  return [...starts]
    .sort((a, b) => a - b)
    .map((start) => {
      const tier: NonNullable<ModelPricing['tiers']>[number] = {
        aboveInputTokens: start,
        inputPerMTok: tierPrice(prices.input_mtok, start) as string,
        outputPerMTok: tierPrice(prices.output_mtok, start) as string,
      };
      const cacheRead = tierPrice(prices.cache_read_mtok, start);
      const cacheWrite = tierPrice(prices.cache_write_mtok, start);
      const cacheWrite1h = tierPrice(prices.cache_write_1h_mtok, start);
      if (cacheRead !== undefined) tier.cachedInputPerMTok = cacheRead;
      if (cacheWrite !== undefined) tier.cacheWritePerMTok = cacheWrite;
      if (cacheWrite1h !== undefined) tier.cacheWrite1hPerMTok = cacheWrite1h;
      return tier;
    });
}

/** A JS number as a plain decimal string (its shortest round-trip form, never e-notation). */
export function decimalString(value: number): string {
  if (!Number.isFinite(value) || value < 0) throw new Error(`not a price: ${value}`);
  return new Decimal(value).toFixed();
}
