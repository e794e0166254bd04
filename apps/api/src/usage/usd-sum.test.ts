import { describe, expect, it } from '@jest/globals';
import { sumUsd } from './usd-sum.js';

describe('sumUsd', () => {
  it('adds exactly, beyond what a float holds', () => {
    expect(sumUsd(['987654321.987654321987', '0.000000000001', '0.123456789012'])).toBe(
      '987654322.111111111000',
    );
    expect(sumUsd(Array.from({ length: 10 }, () => '0.1'))).toBe('1.000000000000');
  });

  it('writes 12 digits after the point, for nothing too', () => {
    expect(sumUsd([])).toBe('0.000000000000');
    expect(sumUsd(['5'])).toBe('5.000000000000');
    expect(sumUsd(['0.000000000007'])).toBe('0.000000000007');
  });

  it('handles negative amounts', () => {
    expect(sumUsd(['-1.5', '0.25'])).toBe('-1.250000000000');
    expect(sumUsd(['-0.000000000001'])).toBe('-0.000000000001');
  });

  it('refuses what is not an amount with at most 12 decimals', () => {
    expect(() => sumUsd(['1e3'])).toThrow(/Not a USD amount/);
    expect(() => sumUsd(['0.0000000000001'])).toThrow(/Not a USD amount/);
  });
});
