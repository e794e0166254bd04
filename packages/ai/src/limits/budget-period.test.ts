import { describe, expect, it } from '@jest/globals';
import { budgetWindow } from './budget-period.js';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

describe('budgetWindow: the calendar period holding an instant', () => {
  it('days, ISO weeks (from Monday) and months in UTC; total never resets', () => {
    const now = at('2031-01-15T12:34:56Z'); // a Wednesday
    const window = (period: Parameters<typeof budgetWindow>[0]) => {
      const w = budgetWindow(period, now);
      return [iso(w.startMs), iso(w.resetsAtMs)];
    };
    expect(window('daily')).toEqual(['2031-01-15T00:00:00.000Z', '2031-01-16T00:00:00.000Z']);
    expect(window('weekly')).toEqual(['2031-01-13T00:00:00.000Z', '2031-01-20T00:00:00.000Z']);
    expect(window('monthly')).toEqual(['2031-01-01T00:00:00.000Z', '2031-02-01T00:00:00.000Z']);
    expect(budgetWindow('total', now)).toEqual({ period: 'total', startMs: 0, resetsAtMs: null });
  });

  it('in a time zone: local midnights, across a DST change', () => {
    // 2031-03-30 is the day Paris moves to summer time: a 23-hour day.
    const day = budgetWindow('daily', at('2031-03-30T12:00:00Z'), 'Europe/Paris');
    expect([iso(day.startMs), iso(day.resetsAtMs)]).toEqual([
      '2031-03-29T23:00:00.000Z',
      '2031-03-30T22:00:00.000Z',
    ]);
    // 23:30 UTC on 31 March is already April in Paris.
    const month = budgetWindow('monthly', at('2031-03-31T23:30:00Z'), 'Europe/Paris');
    expect([iso(month.startMs), iso(month.resetsAtMs)]).toEqual([
      '2031-03-31T22:00:00.000Z',
      '2031-04-30T22:00:00.000Z',
    ]);
  });
});
