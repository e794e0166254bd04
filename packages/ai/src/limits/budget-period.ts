import { DateTime } from 'luxon';
import type { BudgetPeriod } from '../types/call-context.js';

/** The period of a budget that holds an instant: when it started and when it resets (never, for `total`). */
export interface BudgetWindow {
  period: BudgetPeriod;
  /** Epoch ms of the period's start (0 for `total`). */
  startMs: number;
  /** Epoch ms of the next period's start; null for `total`. */
  resetsAtMs: number | null;
}

const UNIT = { daily: 'day', weekly: 'week', monthly: 'month' } as const;

/**
 * The calendar period of `period` that holds `nowMs`, in `timeZone` (an IANA name, UTC by
 * default): days start at midnight, weeks on Monday (ISO), months on the 1st.
 */
export function budgetWindow(period: BudgetPeriod, nowMs: number, timeZone = 'UTC'): BudgetWindow {
  if (period === 'total') return { period, startMs: 0, resetsAtMs: null };
  const unit = UNIT[period];
  const start = DateTime.fromMillis(nowMs, { zone: timeZone }).startOf(unit);
  return { period, startMs: start.toMillis(), resetsAtMs: start.plus({ [unit]: 1 }).toMillis() };
}

/** Whether `timeZone` is an IANA zone name luxon knows. */
export function isTimeZone(timeZone: string): boolean {
  return DateTime.now().setZone(timeZone).isValid;
}
