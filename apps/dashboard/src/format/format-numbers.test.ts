import { describe, expect, it } from '@jest/globals';
import { formatInt, formatMs, formatPercent, formatUtc } from './format-numbers';

describe('number formats', () => {
  it.each([
    [0, '0.00%'],
    [0.0575, '5.75%'],
    [0.0001, '0.01%'],
    [0.3333, '33.33%'],
    [1, '100.00%'],
    [1.2345, '123.45%'],
    [null, '—'],
  ])('%s as a percentage is %s', (fraction, text) => {
    expect(formatPercent(fraction)).toBe(text);
  });

  it('groups integers and labels durations and instants', () => {
    expect(formatInt(1234567)).toBe('1,234,567');
    expect(formatMs(1534)).toBe('1,534 ms');
    expect(formatMs(null)).toBe('—');
    expect(formatUtc('2025-03-01T14:05:09.123Z')).toBe('2025-03-01 14:05 UTC');
    expect(formatUtc('2025-03-01T14:05:09.123Z', true)).toBe('2025-03-01 14:05:09 UTC');
  });
});
