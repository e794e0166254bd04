import { z } from 'zod';
import { isoInstant, isoRangeEnd, RANGE_END_HINT } from './iso-instant.js';
import { decodeLogsCursor } from './logs-cursor.js';
import { requestTypeFilter } from './request-type.js';
import { teamIdFilter } from './team-id.js';

/** Rows per page unless `limit` says otherwise, and the most it may say. */
export const DEFAULT_LOGS_LIMIT = 50;
export const MAX_LOGS_LIMIT = 500;

const filter = (what: string) => z.string().min(1).max(200).optional().describe(`Only rows of this ${what}`);

/** The query parameters of `GET /admin/usage/logs`, as documented. Unknown parameters are refused. */
export const logsQueryShape = z.strictObject({
  userId: filter('user'),
  teamId: teamIdFilter,
  provider: filter('provider'),
  model: filter('model (the provider model id)'),
  requestType: requestTypeFilter,
  from: isoInstant.optional().describe('Only rows at or after this instant (ISO 8601, UTC)'),
  to: isoRangeEnd.optional().describe(`Only rows before this instant (${RANGE_END_HINT})`),
  limit: z
    .string()
    .optional()
    .transform((text, ctx) => {
      if (text === undefined) return DEFAULT_LOGS_LIMIT;
      const n = /^\d{1,6}$/.test(text) ? Number(text) : Number.NaN;
      if (n >= 1 && n <= MAX_LOGS_LIMIT) return n;
      ctx.addIssue({
        code: 'custom',
        message: `must be an integer from 1 to ${MAX_LOGS_LIMIT}, got "${text.slice(0, 20)}"`,
      });
      return z.NEVER;
    })
    .describe(`Rows per page, 1 to ${MAX_LOGS_LIMIT}; default ${DEFAULT_LOGS_LIMIT}`),
  cursor: z
    .string()
    .optional()
    .transform((token, ctx) => {
      if (token === undefined) return undefined;
      const cursor = decodeLogsCursor(token);
      if (cursor) return cursor;
      ctx.addIssue({
        code: 'custom',
        message: 'not a valid cursor; pass the nextCursor of the previous page unchanged',
      });
      return z.NEVER;
    })
    .describe('The nextCursor of the previous page'),
});

/** Validates the logs query. */
export const logsQuerySchema = logsQueryShape.superRefine(({ from, to }, ctx) => {
  if (from && to && from >= to) {
    ctx.addIssue({
      code: 'custom',
      path: ['from'],
      message: `must be before to (got from=${from.toISOString()}, to=${to.toISOString()}); from is inclusive, to exclusive`,
    });
  }
});

/** A validated logs query. */
export type LogsQuery = z.infer<typeof logsQuerySchema>;
