import { Decimal } from 'decimal.js';

/** Digits after the point a price per 1M tokens may have to take the integer path. */
const PRICE_DIGITS = 18;
const plainDecimal = new RegExp(`^(\\d+)(?:\\.(\\d{0,${PRICE_DIGITS}}))?$`);
const cache = new Map<string, bigint | null>();

/**
 * A price per 1M tokens (decimal string) as an integer count of 1e-18 USD, or null when
 * it is not a plain decimal with at most 18 digits after the point (say, `1e-7`).
 * Memoized: the catalog has a few hundred distinct prices.
 */
export function scaledPrice(perMTok: string): bigint | null {
  let scaled = cache.get(perMTok);
  if (scaled === undefined) {
    const match = plainDecimal.exec(perMTok);
    scaled = match ? BigInt((match[1] ?? '0') + (match[2] ?? '').padEnd(PRICE_DIGITS, '0')) : null;
    if (cache.size < 10_000) cache.set(perMTok, scaled);
  }
  return scaled;
}

const HALF = 5n * 10n ** 11n;
const UNIT = 10n ** 12n;

/**
 * Σ tokens × price-per-1M as USD with 12 digits after the point, rounded half up (as
 * decimal.js's `toFixed(12)` does). Exact: prices in 1e-18 USD per 1M tokens times
 * token counts are 1e-24 USD, an integer; only the last step rounds.
 */
export function usdFromScaled(terms: readonly (readonly [tokens: number, scaled: bigint])[]): string {
  let total = 0n;
  for (const [tokens, scaled] of terms) if (tokens) total += BigInt(tokens) * scaled;
  const units = (total + HALF) / UNIT;
  const digits = units.toString().padStart(13, '0');
  return `${digits.slice(0, -12)}.${digits.slice(-12)}`;
}

const MILLION = new Decimal(1_000_000);

/** The same sum with decimal.js, for prices `scaledPrice` does not take. */
export function usdFromDecimal(terms: readonly (readonly [tokens: number, perMTok: string])[]): string {
  let total = new Decimal(0);
  for (const [tokens, perMTok] of terms) total = total.plus(new Decimal(perMTok).div(MILLION).mul(tokens));
  return total.toFixed(12);
}
