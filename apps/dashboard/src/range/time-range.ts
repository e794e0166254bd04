/** The ranges the page offers. */
export type RangePreset = '24h' | '7d' | '30d' | 'custom';

/** A half-open UTC range [from, to), as ISO instants, the way the admin API takes it. */
export interface TimeRange {
  preset: RangePreset;
  from: string;
  to: string;
}

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;
const PRESET_MS: Record<Exclude<RangePreset, 'custom'>, number> = {
  '24h': DAY_MS,
  '7d': 7 * DAY_MS,
  '30d': 30 * DAY_MS,
};

/**
 * A preset range ending at the next whole minute after `now`: every call made so far is
 * inside it, and the bounds read cleanly.
 */
export function presetRange(preset: Exclude<RangePreset, 'custom'>, now = Date.now()): TimeRange {
  const to = Math.floor(now / MINUTE_MS) * MINUTE_MS + MINUTE_MS;
  return { preset, from: new Date(to - PRESET_MS[preset]).toISOString(), to: new Date(to).toISOString() };
}

/**
 * A custom range of whole UTC days, both dates included (`to` is the day after the last
 * one). Undefined when a date is missing, malformed, or the end is before the start.
 */
export function customRange(fromDate: string, toDate: string): TimeRange | undefined {
  const from = Date.parse(`${fromDate}T00:00:00Z`);
  const last = Date.parse(`${toDate}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(fromDate) || !/^\d{4}-\d{2}-\d{2}$/.test(toDate)) return undefined;
  if (Number.isNaN(from) || Number.isNaN(last) || last < from) return undefined;
  return { preset: 'custom', from: new Date(from).toISOString(), to: new Date(last + DAY_MS).toISOString() };
}

/** Every UTC day (`YYYY-MM-DD`) the range touches, in order: the chart's x axis. */
export function daysOf(range: Pick<TimeRange, 'from' | 'to'>): string[] {
  const days: string[] = [];
  const end = Date.parse(range.to) - 1;
  for (let t = Math.floor(Date.parse(range.from) / DAY_MS) * DAY_MS; t <= end; t += DAY_MS) {
    days.push(new Date(t).toISOString().slice(0, 10));
  }
  return days;
}
