const INTEGER = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** `12,345` */
export function formatInt(value: number): string {
  return INTEGER.format(value);
}

/**
 * A fraction the API rounded to 4 decimals (`0.0575`) as a percentage (`5.75%`), by moving
 * the decimal point in the text, so no float arithmetic can change a digit. Null: `—`.
 */
export function formatPercent(fraction: number | null): string {
  if (fraction === null || !Number.isFinite(fraction)) return '—';
  const [whole = '0', decimals = '0000'] = fraction.toFixed(4).split('.');
  const percent = Number(whole) * 100 + Number(decimals.slice(0, 2));
  return `${percent}.${decimals.slice(2)}%`;
}

/** `1,234 ms`, or `—` when there was nothing to measure. */
export function formatMs(ms: number | null): string {
  return ms === null ? '—' : `${formatInt(ms)} ms`;
}

/** `2025-03-01 14:05 UTC` from an ISO instant (the API's days are UTC days too). */
export function formatUtc(iso: string, withSeconds = false): string {
  const text = new Date(iso).toISOString().replace('T', ' ');
  return `${text.slice(0, withSeconds ? 19 : 16)} UTC`;
}
