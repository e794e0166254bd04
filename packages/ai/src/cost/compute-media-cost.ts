import { Decimal } from 'decimal.js';
import type { MediaUnits } from '../types/media.js';
import type { ModelPricing } from '../types/model-info.js';
import type { TokenUsage } from '../types/token-usage.js';
import { type CallCost, computeCost } from './compute-cost.js';

/**
 * The price of one unit of a media call, and the pricing to keep on its row: an image by
 * its quality and size (see imagePriceKey), a
 * second of audio from the per-minute price, a character from the per-1M-characters one.
 * Undefined when the pricing has none for it.
 */
export function unitPrice(
  pricing: ModelPricing | undefined,
  unit: MediaUnits['unit'],
  fields: Record<string, unknown>,
): { perUnit: Decimal; pricing: ModelPricing } | undefined {
  if (!pricing) return undefined;
  const base = {
    inputPerMTok: pricing.inputPerMTok,
    outputPerMTok: pricing.outputPerMTok,
    source: pricing.source,
  };
  if (unit === 'image' && pricing.perImage) {
    const key = imagePriceKey(pricing.perImage, fields);
    const price = key === undefined ? undefined : pricing.perImage[key];
    if (key === undefined || price === undefined) return undefined;
    return { perUnit: new Decimal(price), pricing: { ...base, perImage: { [key]: price } } };
  }
  if (unit === 'second' && pricing.perMinute !== undefined) {
    const { minimumSeconds } = pricing;
    return {
      perUnit: new Decimal(pricing.perMinute).div(60),
      pricing: { ...base, perMinute: pricing.perMinute, ...(minimumSeconds ? { minimumSeconds } : {}) },
    };
  }
  if (unit === 'character' && pricing.perMCharacters !== undefined) {
    return {
      perUnit: new Decimal(pricing.perMCharacters).div(1_000_000),
      pricing: { ...base, perMCharacters: pricing.perMCharacters },
    };
  }
  return undefined;
}

/**
 * The `perImage` key (`quality/size`, either part `*`) that prices an image of the request's
 * quality and size; a field the request leaves out matches only `*` (the model's default).
 */
function imagePriceKey(
  perImage: Record<string, string>,
  fields: Record<string, unknown>,
): string | undefined {
  const size = typeof fields.size === 'string' ? fields.size : '*';
  const quality = typeof fields.quality === 'string' ? fields.quality : '*';
  return [`${quality}/${size}`, `${quality}/*`, `*/${size}`, '*/*'].find(
    (key) => perImage[key] !== undefined,
  );
}

/**
 * Prices a media call: by its unit (images, seconds of audio, characters) when the pricing
 * has a price for it, else by its tokens where the provider reported them (gpt-image-1,
 * gpt-4o-transcribe), else unknown: never zero for want of a number.
 */
export function computeMediaCost(
  outcome: { usage: TokenUsage; units?: MediaUnits },
  pricing: ModelPricing | undefined,
  fields: Record<string, unknown>,
): CallCost {
  if (!pricing) return { usd: null, status: 'unpriced', pricing: null };
  const { units } = outcome;
  const price = units ? unitPrice(pricing, units.unit, fields) : undefined;
  if (units && price) {
    // A provider's minimum per request (Groq bills 10 s at least); the row keeps the real seconds.
    const billed = Math.max(units.quantity, price.pricing.minimumSeconds ?? 0);
    return { usd: price.perUnit.mul(billed).toFixed(12), status: 'priced', pricing: price.pricing };
  }
  if (outcome.usage.source !== 'reported') return { usd: null, status: 'unknown-usage', pricing };
  return computeCost(outcome.usage, pricing);
}
