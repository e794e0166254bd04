import { describe, expect, it } from '@jest/globals';
import { parseIsoEnd, parseIsoInstant } from './iso-instant.js';
import { planSummary } from './usage-summary-plan.js';

describe('parseIsoInstant', () => {
  it.each([
    ['2025-01-31', '2025-01-31T00:00:00.000Z'],
    ['2025-01-31T12:00', '2025-01-31T12:00:00.000Z'],
    ['2025-01-31T12:00:05', '2025-01-31T12:00:05.000Z'],
    ['2025-01-31T12:00:05.5Z', '2025-01-31T12:00:05.500Z'],
    ['2025-01-31T12:00:05.123456Z', '2025-01-31T12:00:05.123Z'],
    ['2025-01-31t12:00:05z', '2025-01-31T12:00:05.000Z'],
    ['2025-01-31 12:00:05', '2025-01-31T12:00:05.000Z'],
    ['2025-01-31T12:00:00+02:00', '2025-01-31T10:00:00.000Z'],
    ['2025-01-31T12:00:00-0530', '2025-01-31T17:30:00.000Z'],
    ['2025-01-31T00:30:00+01', '2025-01-30T23:30:00.000Z'],
    // An unencoded `+` in a query string arrives as a space.
    ['2025-01-31T12:00:00 02:00', '2025-01-31T10:00:00.000Z'],
    ['2024-02-29', '2024-02-29T00:00:00.000Z'],
    ['0099-01-01', '0099-01-01T00:00:00.000Z'],
  ])('%s is %s', (text, iso) => {
    expect(parseIsoInstant(text)?.toISOString()).toBe(iso);
  });

  it.each([
    '',
    'yesterday',
    '1741000000',
    '2025-1-31',
    '2025-02-29',
    '2025-13-01',
    '2025-01-32',
    '2025-01-31T24:00:00Z',
    '2025-01-31T12:60Z',
    '2025-01-31T12:00:60Z',
    '2025-01-31T12:00:00+24:00',
    '2025-01-31T12:00:00 EST',
    '31/01/2025',
  ])('%s is refused', (text) => {
    expect(parseIsoInstant(text)).toBeUndefined();
  });
});

describe('parseIsoEnd (a range end, `to`)', () => {
  it.each([
    // A date alone: the end of that UTC day, the next midnight.
    ['2026-12-07', '2026-12-08T00:00:00.000Z'],
    [' 2026-12-07 ', '2026-12-08T00:00:00.000Z'],
    ['2024-02-28', '2024-02-29T00:00:00.000Z'],
    ['2024-02-29', '2024-03-01T00:00:00.000Z'],
    ['2025-12-31', '2026-01-01T00:00:00.000Z'],
    ['0099-12-31', '0100-01-01T00:00:00.000Z'],
    // A date-time: that very instant, midnight included.
    ['2026-12-07T00:00', '2026-12-07T00:00:00.000Z'],
    ['2026-12-07T00:00:00Z', '2026-12-07T00:00:00.000Z'],
    ['2026-12-07T12:00:00+02:00', '2026-12-07T10:00:00.000Z'],
    ['2026-12-07 23:59:59.999', '2026-12-07T23:59:59.999Z'],
  ])('%s is %s', (text, iso) => {
    expect(parseIsoEnd(text)?.toISOString()).toBe(iso);
  });

  it.each(['', '2025-02-29', '2026-12-32', '2026-12-07T24:00:00Z', 'tomorrow'])('%s is refused', (text) => {
    expect(parseIsoEnd(text)).toBeUndefined();
  });

  it('from=D&to=D is one whole UTC day for the summary: no partial edge', () => {
    const from = parseIsoInstant('2026-12-07') as Date;
    const to = parseIsoEnd('2026-12-07') as Date;
    const day = Date.parse('2026-12-07T00:00:00Z');
    expect(planSummary(from, to, new Date('2027-01-01T00:00:00Z'))).toEqual({
      wholeDays: { start: day, end: day + 86_400_000 },
      edgeDays: [],
      addRows: [],
      removeRows: [],
    });
  });
});
