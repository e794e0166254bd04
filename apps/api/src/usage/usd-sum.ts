/** Digits after the point of every USD amount the summary shows. */
const SCALE = 12;
const UNIT = 10n ** BigInt(SCALE);

/**
 * The exact sum of decimal strings with at most 12 digits after the point (as PostgreSQL's
 * `ROUND(x, 12)::text` writes them), as a string with exactly 12. Integer arithmetic
 * (BigInt, in units of 1e-12): no float ever touches the money.
 */
export function sumUsd(values: Iterable<string>): string {
  let total = 0n;
  for (const value of values) total += toUnits(value);
  const sign = total < 0n ? '-' : '';
  const abs = total < 0n ? -total : total;
  return `${sign}${abs / UNIT}.${(abs % UNIT).toString().padStart(SCALE, '0')}`;
}

function toUnits(value: string): bigint {
  const match = /^(-?)(\d+)(?:\.(\d{0,12}))?$/.exec(value);
  if (!match) throw new Error(`Not a USD amount with at most ${SCALE} decimals: ${JSON.stringify(value)}`);
  const [, sign, whole, fraction = ''] = match;
  const units = BigInt(whole as string) * UNIT + BigInt(fraction.padEnd(SCALE, '0'));
  return sign ? -units : units;
}
