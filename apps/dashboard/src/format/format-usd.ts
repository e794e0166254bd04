/** A USD amount split for display: the cents part to read at a glance, the rest to be exact. */
export interface UsdParts {
  /** `$1,234.56`: sign, thousands separators, two decimals. */
  main: string;
  /** The further decimals the API gave, trailing zeros dropped (`78123456`); may be empty. */
  rest: string;
}

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

/**
 * Formats a decimal string from the API (`"1234.567812345600"`) without changing its
 * value: no float, no rounding. Only trailing zeros go, and separators are added; so
 * `main + rest` minus `$` and `,` reads back as the same number. Anything that is not a
 * plain decimal is shown as it came.
 */
export function usdParts(value: string): UsdParts {
  const match = DECIMAL.exec(value.trim());
  if (!match) return { main: value, rest: '' };
  const [, sign = '', whole = '0', fraction = ''] = match;
  const digits = fraction.replace(/0+$/, '');
  const grouped = whole.replace(/^0+(?=\d)/, '').replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return { main: `${sign}$${grouped}.${digits.slice(0, 2).padEnd(2, '0')}`, rest: digits.slice(2) };
}

/** The same value in one string (`$1,234.5678123456`), for tooltips and titles. */
export function usdText(value: string): string {
  const { main, rest } = usdParts(value);
  return main + rest;
}
