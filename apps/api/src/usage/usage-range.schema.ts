import { z } from 'zod';
import { isoInstant, isoRangeEnd, RANGE_END_HINT } from './iso-instant.js';
import { DEFAULT_RANGE_DAYS } from './usage-summary.schema.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * `from` and `to` as the summary takes them: a half-open UTC range, 30 days back from now by
 * default; a date alone is its midnight UTC for `from`, the end of that day for `to`.
 */
export const rangeFields = {
  from: isoInstant
    .optional()
    .describe(`Start, inclusive (ISO 8601, UTC); default: ${DEFAULT_RANGE_DAYS} days before to`),
  to: isoRangeEnd.optional().describe(`End, exclusive (${RANGE_END_HINT}); default: now`),
};

/** Fills in the default range and checks from < to, for any query made with rangeFields. */
export function withDefaultRange<T extends z.ZodType<{ from?: Date; to?: Date }>>(shape: T) {
  return shape
    .transform((query: z.output<T>) => {
      const to = query.to ?? new Date();
      return { ...query, from: query.from ?? new Date(to.getTime() - DEFAULT_RANGE_DAYS * DAY_MS), to };
    })
    .superRefine(({ from, to }, ctx) => {
      if (from >= to) {
        ctx.addIssue({
          code: 'custom',
          path: ['from'],
          message: `must be before to (got from=${from.toISOString()}, to=${to.toISOString()}); from is inclusive, to exclusive`,
        });
      }
    });
}
