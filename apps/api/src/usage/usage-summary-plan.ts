/** A half-open range of instants, [start, end), in epoch milliseconds. */
export interface Interval {
  start: number;
  end: number;
}

/**
 * Where a summary of [from, to) reads its rows, so that each row of the range counts exactly
 * once and no other row does:
 * - AIUsageDaily rows of the whole UTC days inside the range, as they are;
 * - at the edges (at most two days, covered in part): raw AIUsageLog rows added, or a day's
 *   AIUsageDaily rows minus the raw rows of its part outside the range.
 */
export interface SummaryPlan {
  /** Whole UTC days (midnights, [start, end)) read from AIUsageDaily as they are; null when none. */
  wholeDays: Interval | null;
  /** Edge days (their midnights) read from AIUsageDaily, from which `removeRows` are taken away. */
  edgeDays: number[];
  /** Raw AIUsageLog rows added; each interval lies within one UTC day. */
  addRows: Interval[];
  /** Raw AIUsageLog rows taken away from the edge days; each within one of them. */
  removeRows: Interval[];
}

export const DAY_MS = 86_400_000;

const floorDay = (t: number) => Math.floor(t / DAY_MS) * DAY_MS;
const ceilDay = (t: number) => Math.ceil(t / DAY_MS) * DAY_MS;

/**
 * Plans a summary of [from, to). Whole UTC days inside the range come from the rollup. A
 * day the range covers only in part (at most two: the first and the last) is read one of
 * two ways, whichever scans fewer raw rows:
 * - its covered part from the raw rows, or
 * - the whole day from the rollup, minus the raw rows of its uncovered part.
 * With `to` = now, today's uncovered part lies in the future and holds no rows, so today
 * costs nothing. The raw-row count is estimated by time span up to `now` (rows are written
 * when calls end); the choice changes only the speed, never the result.
 */
export function planSummary(from: Date, to: Date, now: Date): SummaryPlan {
  const start = from.getTime();
  const end = to.getTime();
  const plan: SummaryPlan = { wholeDays: null, edgeDays: [], addRows: [], removeRows: [] };
  if (start >= end) return plan;
  if (ceilDay(start) < floorDay(end)) plan.wholeDays = { start: ceilDay(start), end: floorDay(end) };

  // The parts of days the range covers in part: none, one (inside one day) or two.
  const partial: Interval[] =
    floorDay(start) === floorDay(end - 1)
      ? end - start < DAY_MS
        ? [{ start, end }]
        : []
      : [
          ...(start < ceilDay(start) ? [{ start, end: ceilDay(start) }] : []),
          ...(floorDay(end) < end ? [{ start: floorDay(end), end }] : []),
        ];

  // Rows that may exist in [a, b): none after now.
  const span = (a: number, b: number) => Math.max(0, Math.min(b, now.getTime()) - a);
  for (const covered of partial) {
    const day = floorDay(covered.start);
    const outside = [
      { start: day, end: covered.start },
      { start: covered.end, end: day + DAY_MS },
    ].filter((i) => i.start < i.end);
    if (outside.reduce((sum, i) => sum + span(i.start, i.end), 0) < span(covered.start, covered.end)) {
      plan.edgeDays.push(day);
      plan.removeRows.push(...outside);
    } else {
      plan.addRows.push(covered);
    }
  }
  return plan;
}
