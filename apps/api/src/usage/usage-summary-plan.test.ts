import { describe, expect, it } from '@jest/globals';
import { DAY_MS, type Interval, planSummary, type SummaryPlan } from './usage-summary-plan.js';

const at = (iso: string) => new Date(iso);
const ms = (iso: string) => Date.parse(iso);
const inside = (i: Interval, t: number) => i.start <= t && t < i.end;

/** How many times the plan counts a row created at t: must be 1 inside [from, to), else 0. */
function timesCounted(plan: SummaryPlan, t: number): number {
  const day = Math.floor(t / DAY_MS) * DAY_MS;
  return (
    (plan.wholeDays && inside(plan.wholeDays, day) ? 1 : 0) +
    plan.edgeDays.filter((d) => d === day).length +
    plan.addRows.filter((i) => inside(i, t)).length -
    plan.removeRows.filter((i) => inside(i, t)).length
  );
}

describe('planSummary', () => {
  it('reads whole days from the rollup only', () => {
    expect(planSummary(at('2025-03-01'), at('2025-03-31'), at('2025-06-01'))).toEqual({
      wholeDays: { start: ms('2025-03-01'), end: ms('2025-03-31') },
      edgeDays: [],
      addRows: [],
      removeRows: [],
    });
  });

  it('the default range up to now: the old edge from raw rows, today as rollup minus the (empty) future', () => {
    const now = at('2025-03-31T14:00:00Z');
    expect(planSummary(at('2025-03-01T14:00:00Z'), now, now)).toEqual({
      wholeDays: { start: ms('2025-03-02'), end: ms('2025-03-31') },
      edgeDays: [ms('2025-03-31')],
      addRows: [{ start: ms('2025-03-01T14:00:00Z'), end: ms('2025-03-02') }],
      removeRows: [{ start: ms('2025-03-31T14:00:00Z'), end: ms('2025-04-01') }],
    });
  });

  it('an edge covering most of its day: the day from the rollup, minus what lies outside the range', () => {
    expect(planSummary(at('2025-03-01T02:00:00Z'), at('2025-03-05T01:00:00Z'), at('2025-06-01'))).toEqual({
      wholeDays: { start: ms('2025-03-02'), end: ms('2025-03-05') },
      edgeDays: [ms('2025-03-01')],
      addRows: [{ start: ms('2025-03-05'), end: ms('2025-03-05T01:00:00Z') }],
      removeRows: [{ start: ms('2025-03-01'), end: ms('2025-03-01T02:00:00Z') }],
    });
  });

  it('a range inside one day: raw rows, or the day minus both of its ends', () => {
    expect(planSummary(at('2025-03-01T10:00:00Z'), at('2025-03-01T11:00:00Z'), at('2025-06-01'))).toEqual({
      wholeDays: null,
      edgeDays: [],
      addRows: [{ start: ms('2025-03-01T10:00:00Z'), end: ms('2025-03-01T11:00:00Z') }],
      removeRows: [],
    });
    expect(planSummary(at('2025-03-01T00:30:00Z'), at('2025-03-01T23:00:00Z'), at('2025-06-01'))).toEqual({
      wholeDays: null,
      edgeDays: [ms('2025-03-01')],
      addRows: [],
      removeRows: [
        { start: ms('2025-03-01'), end: ms('2025-03-01T00:30:00Z') },
        { start: ms('2025-03-01T23:00:00Z'), end: ms('2025-03-02') },
      ],
    });
  });

  it('counts every instant of the range exactly once, and none outside it (random ranges)', () => {
    let state = 12345;
    const random = () => {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      return state / 2 ** 32;
    };
    const base = ms('2025-03-01');
    // Instants on and around midnights, and anywhere.
    const instant = () => {
      const day = base + Math.floor(random() * 10) * DAY_MS;
      const r = random();
      if (r < 0.3) return day;
      if (r < 0.4) return day + (random() < 0.5 ? -1 : 1);
      return day + Math.floor(random() * DAY_MS);
    };
    const wrong: unknown[] = [];
    for (let n = 0; n < 2000; n++) {
      const [a, b] = [instant(), instant()].sort((x, y) => x - y) as [number, number];
      if (a === b) continue;
      const now = instant();
      const plan = planSummary(new Date(a), new Date(b), new Date(now));
      const probes = [
        a - 1,
        a,
        a + 1,
        b - 1,
        b,
        b + 1,
        ...[plan.wholeDays, ...plan.addRows, ...plan.removeRows].flatMap((i) =>
          i ? [i.start - 1, i.start, i.end - 1, i.end] : [],
        ),
        ...Array.from({ length: 20 }, () => a - DAY_MS + Math.floor(random() * (b - a + 2 * DAY_MS))),
      ];
      for (const t of probes) {
        if (timesCounted(plan, t) !== (a <= t && t < b ? 1 : 0)) wrong.push({ a, b, now, t, plan });
      }
      // At most the two edge days are read from raw rows, each one way, each interval
      // within one UTC day.
      if (plan.addRows.length + plan.edgeDays.length > 2) wrong.push({ a, b, now, plan });
      for (const i of [...plan.addRows, ...plan.removeRows]) {
        if (Math.floor(i.start / DAY_MS) !== Math.floor((i.end - 1) / DAY_MS)) wrong.push({ a, b, now, i });
      }
    }
    expect(wrong).toEqual([]);
  });
});
