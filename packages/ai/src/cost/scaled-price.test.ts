import { describe, expect, it } from '@jest/globals';
import { scaledPrice, usdFromDecimal, usdFromScaled } from './scaled-price.js';

/** A deterministic pseudo-random sequence, so a failure can be replayed. */
function* lcg(seed: number): Generator<number> {
  let x = seed;
  for (;;) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    yield x / 2 ** 31;
  }
}

describe('integer cost arithmetic', () => {
  it('reads plain decimals with up to 18 digits after the point, and nothing else', () => {
    expect(scaledPrice('2.5')).toBe(2_500_000_000_000_000_000n);
    expect(scaledPrice('0.000000000000000001')).toBe(1n);
    expect(scaledPrice('15')).toBe(15n * 10n ** 18n);
    for (const odd of ['1e-7', '-1', '0.0000000000000000001', ' 1', '', '1.2.3'])
      expect(scaledPrice(odd)).toBeNull();
  });

  it('equals decimal.js (toFixed(12), half up) on 20,000 random calls', () => {
    const random = lcg(42);
    const next = () => random.next().value as number;
    const price = () => {
      const digits = Math.floor(next() * 10);
      const value = (next() * 100).toFixed(digits);
      return value;
    };
    for (let i = 0; i < 20_000; i++) {
      const terms = Array.from({ length: 4 }, () => {
        const tokens = next() < 0.2 ? 0 : Math.floor(next() * (next() < 0.5 ? 100 : 2_000_000));
        return [tokens, price()] as [number, string];
      });
      const scaled = terms.map(([t, p]) => [t, scaledPrice(p) as bigint] as const);
      expect([terms, usdFromScaled(scaled)]).toEqual([terms, usdFromDecimal(terms)]);
    }
  });

  it('rounds half up at the 12th digit, like decimal.js', () => {
    // 1 token at $0.0000005/M = 5e-13 USD: half a unit of the 12th digit.
    const terms: [number, string][] = [[1, '0.0000005']];
    expect(usdFromScaled([[1, scaledPrice('0.0000005') as bigint]])).toBe('0.000000000001');
    expect(usdFromDecimal(terms)).toBe('0.000000000001');
    expect(usdFromScaled([[1, scaledPrice('0.0000004') as bigint]])).toBe('0.000000000000');
  });
});
