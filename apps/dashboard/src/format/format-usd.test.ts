import { describe, expect, it } from '@jest/globals';
import { usdParts, usdText } from './format-usd';

describe('usdParts', () => {
  it.each([
    ['0.000000000000', '$0.00', ''],
    ['12.500000000000', '$12.50', ''],
    ['1234.567812345600', '$1,234.56', '78123456'],
    ['0.000012000000', '$0.00', '0012'],
    ['1234567.1', '$1,234,567.10', ''],
    ['7', '$7.00', ''],
    ['0007.25', '$7.25', ''],
  ])('%s is %s + %s', (value, main, rest) => {
    expect(usdParts(value)).toEqual({ main, rest });
  });

  it('never changes the value: without $ and separators it reads back as the same number', () => {
    for (const value of ['1234.567812345600', '0.000000000001', '98765432.123456789012']) {
      const shown = usdText(value).replace(/[$,]/g, '');
      expect(shown).toBe(value.replace(/0+$/, '').replace(/\.$/, '.00'));
    }
  });

  it('shows anything else as it came', () => {
    expect(usdParts('n/a')).toEqual({ main: 'n/a', rest: '' });
  });
});
