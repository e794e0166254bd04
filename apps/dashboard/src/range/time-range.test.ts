import { describe, expect, it } from '@jest/globals';
import { customRange, daysOf, presetRange } from './time-range';

describe('time ranges', () => {
  const now = Date.parse('2025-03-31T10:15:30.500Z');

  it('ends a preset at the next whole minute and reaches back its length', () => {
    expect(presetRange('24h', now)).toEqual({
      preset: '24h',
      from: '2025-03-30T10:16:00.000Z',
      to: '2025-03-31T10:16:00.000Z',
    });
    expect(presetRange('7d', now).from).toBe('2025-03-24T10:16:00.000Z');
    expect(presetRange('30d', now).from).toBe('2025-03-01T10:16:00.000Z');
  });

  it('makes a custom range of whole days, both dates included', () => {
    expect(customRange('2025-03-01', '2025-03-03')).toEqual({
      preset: 'custom',
      from: '2025-03-01T00:00:00.000Z',
      to: '2025-03-04T00:00:00.000Z',
    });
    expect(customRange('2025-03-03', '2025-03-01')).toBeUndefined();
    expect(customRange('', '2025-03-01')).toBeUndefined();
  });

  it('lists the UTC days a range touches', () => {
    expect(daysOf({ from: '2025-03-30T10:16:00.000Z', to: '2025-03-31T10:16:00.000Z' })).toEqual([
      '2025-03-30',
      '2025-03-31',
    ]);
    expect(daysOf({ from: '2025-03-01T00:00:00.000Z', to: '2025-03-03T00:00:00.000Z' })).toEqual([
      '2025-03-01',
      '2025-03-02',
    ]);
  });
});
