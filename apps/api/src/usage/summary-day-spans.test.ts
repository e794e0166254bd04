import { describe, expect, it } from '@jest/globals';
import { SummaryDayCache } from './summary-day-cache.js';
import { compareCodePoints, mergeParts, partOf, spansOfDay } from './summary-day-spans.js';

const DAY = '2026-03-10';
const MIDNIGHT = Date.parse(`${DAY}T00:00:00Z`);
const HOUR = 3_600_000;

const row = (userId: string, requests: number, costUsd: string) => ({
  day: DAY,
  userId,
  requests,
  failures: 0,
  promptTokens: requests * 10,
  completionTokens: 1,
  totalTokens: requests * 10 + 1,
  costUsd,
  unpricedRequests: 0,
});

describe('summary day spans', () => {
  it('orders strings by code point, as COLLATE "C" orders their UTF-8 bytes', () => {
    const words = [
      'a',
      'ab',
      'B',
      'é',
      '\u{e000}',
      '\u{fb00}',
      '\u{ffff}',
      '\u{10000}',
      '\u{1f600}',
      '\u{1f600}a',
      '',
    ];
    const byBytes = [...words].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
    expect([...words].sort(compareCodePoints)).toEqual(byBytes);
    // JavaScript's own order differs exactly there.
    expect([...words].sort()).not.toEqual(byBytes);
  });

  it('splits a day covered from and to any minute into its whole hours and the minutes at each end', () => {
    const cache = new SummaryDayCache(1 << 20);
    const range = {
      from: MIDNIGHT + 5 * HOUR + 17 * 60_000,
      to: MIDNIGHT + 9 * HOUR + 1,
      now: MIDNIGHT + 2 * 86_400_000,
    };
    const spans = spansOfDay({ day: DAY, stamp: '7' }, range, ['day', 'user'], cache);
    expect(spans.map((s) => [s.start - MIDNIGHT, s.end - MIDNIGHT, s.keep])).toEqual([
      [5 * HOUR + 17 * 60_000, 6 * HOUR, false],
      [6 * HOUR, 9 * HOUR, true],
      [9 * HOUR, 9 * HOUR + 1, false],
    ]);
    // On the hour, or within one hour: one span.
    const onTheHour = { ...range, from: MIDNIGHT + 5 * HOUR, to: MIDNIGHT + 9 * HOUR };
    expect(spansOfDay({ day: DAY, stamp: '7' }, onTheHour, ['day'], cache)).toHaveLength(1);
    const inOneHour = { ...range, from: MIDNIGHT + 5 * HOUR + 1, to: MIDNIGHT + 6 * HOUR - 1 };
    expect(spansOfDay({ day: DAY, stamp: '7' }, inOneHour, ['day'], cache)).toMatchObject([{ keep: false }]);
    expect(spansOfDay({ day: DAY, stamp: '7' }, onTheHour, ['day'], cache)).toMatchObject([{ keep: true }]);
    // The whole hours are kept only when they are all past.
    const early = { ...range, now: MIDNIGHT + 8 * HOUR };
    expect(spansOfDay({ day: DAY, stamp: '7' }, early, ['day'], cache)[1]?.keep).toBe(false);
  });

  it('merges the parts of a day: the same group summed exactly, groups in COLLATE "C" order', () => {
    const merged = mergeParts([
      partOf([row('\u{1f600}', 1, '0.000000000001'), row('b', 2, '0.100000000000')]),
      partOf([]),
      partOf([row('\u{fb00}', 4, '1.000000000000'), row('b', 3, '987654321.900000000001')]),
    ]);
    expect(JSON.parse(`[${merged.json}]`)).toEqual([
      { ...row('b', 5, '987654322.000000000001'), completionTokens: 2, totalTokens: 52 },
      row('\u{fb00}', 4, '1.000000000000'),
      row('\u{1f600}', 1, '0.000000000001'),
    ]);
    expect(merged.totals).toMatchObject({ requests: 10, costUsd: '987654323.000000000002' });
  });
});
