import { usdParts, usdText } from '../format/format-usd';

/**
 * A USD amount exactly as the API gave it: cents at normal size, the further decimals
 * smaller, so the glance shows dollars and cents and nothing is rounded away.
 */
export function Usd({ value, testId }: { value: string; testId?: string }) {
  const { main, rest } = usdParts(value);
  return (
    <span className="usd" title={usdText(value)} data-value={value} data-testid={testId}>
      {main}
      {rest && <span className="usd-rest">{rest}</span>}
    </span>
  );
}
