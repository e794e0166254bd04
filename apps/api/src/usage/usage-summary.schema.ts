import { z } from 'zod';
import { isoInstant, isoRangeEnd, RANGE_END_HINT } from './iso-instant.js';
import { requestTypeFilter } from './request-type.js';
import { filtersOf, type SummaryFilter } from './summary-filters.js';
import { teamIdFilter } from './team-id.js';

/** What a summary can be grouped by. */
export const GROUP_NAMES = ['user', 'provider', 'model', 'day', 'team', 'requestType'] as const;

/** One dimension of a summary. */
export type GroupName = (typeof GROUP_NAMES)[number];

const DAY_MS = 24 * 60 * 60 * 1000;
/** The range a summary covers when `from` is not given: the 30 days before `to`. */
export const DEFAULT_RANGE_DAYS = 30;

const isGroupName = (value: string): value is GroupName => (GROUP_NAMES as readonly string[]).includes(value);

/** `groupBy=user,day` (or repeated): the distinct names, in the order given. */
const groupBy = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((value, ctx) => {
    const names = [value ?? []]
      .flat()
      .flatMap((part) => part.split(','))
      .map((name) => name.trim())
      .filter(Boolean);
    const unknown = names.filter((name) => !isGroupName(name));
    if (unknown.length) {
      ctx.addIssue({
        code: 'custom',
        message: `unknown value ${unknown.map((n) => JSON.stringify(n)).join(', ')}; allowed: ${GROUP_NAMES.join(', ')} (comma-separated)`,
      });
      return z.NEVER;
    }
    return [...new Set(names as GroupName[])];
  })
  .describe(`Comma-separated subset of ${GROUP_NAMES.join(', ')}; absent: totals only`);

/** The query parameters of `GET /admin/usage/summary`, as documented. Unknown parameters are refused. */
export const summaryQueryShape = z.strictObject({
  from: isoInstant
    .optional()
    .describe(`Start, inclusive (ISO 8601, UTC); default: ${DEFAULT_RANGE_DAYS} days before to`),
  to: isoRangeEnd.optional().describe(`End, exclusive (${RANGE_END_HINT}); default: now`),
  groupBy,
  teamId: teamIdFilter,
  userId: z.string().min(1).max(200).optional().describe('Only rows of this user'),
  provider: z.string().min(1).max(200).optional().describe('Only rows of this provider (its name)'),
  model: z.string().min(1).max(200).optional().describe("Only rows of this model (the provider's model id)"),
  requestType: requestTypeFilter,
});

/** Validates the summary query and fills in the default range. */
export const summaryQuerySchema = summaryQueryShape
  .transform(({ from, to, groupBy, ...filters }): SummaryQuery => {
    const end = to ?? new Date();
    return {
      from: from ?? new Date(end.getTime() - DEFAULT_RANGE_DAYS * DAY_MS),
      to: end,
      groupBy,
      ...filtersOf(filters),
    };
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

/** A validated summary query: a half-open UTC range, the dimensions to group by, and filters. */
export interface SummaryQuery extends SummaryFilter {
  from: Date;
  to: Date;
  groupBy: GroupName[];
}
