import { Decimal } from 'decimal.js';

const PICO_PER_USD = new Decimal('1e12');

/**
 * USD (a decimal string) as integer pico-dollars. Costs are computed with 12 digits
 * after the point, so they convert exactly; `rounding` only matters for longer inputs.
 */
export function usdToPico(usd: string, rounding: 'ceil' | 'floor' = 'ceil'): bigint {
  const pico = new Decimal(usd).mul(PICO_PER_USD);
  return BigInt(pico.toFixed(0, rounding === 'ceil' ? Decimal.ROUND_CEIL : Decimal.ROUND_FLOOR));
}

/** Pico-dollars as a plain USD decimal string without trailing zeros (`1500000000000n` -> `"1.5"`). */
export function picoToUsd(pico: bigint): string {
  return new Decimal(pico.toString()).div(PICO_PER_USD).toFixed();
}
