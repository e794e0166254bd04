import { z } from 'zod';
import { RequestValidationError, zodPipe } from '../http/zod-validation.js';
import { type SummaryQuery, summaryQuerySchema, summaryQueryShape } from './usage-summary.schema.js';

/** What `GET /admin/usage/summary` can answer in. */
const formatSchema = z
  .enum(['json', 'csv'], { error: 'must be json or csv' })
  .default('json')
  .describe('json (default) or csv: the rows (or, without groupBy, the totals) as a CSV download');

/** The summary's documented parameters, `format` included (for /docs). */
export const summaryRequestShape = summaryQueryShape.extend({ format: formatSchema });

/** A validated summary request: the query the summary service takes, and the answer's format. */
export interface SummaryRequest {
  query: SummaryQuery;
  format: 'json' | 'csv';
}

const queryPipe = zodPipe(summaryQuerySchema);

/**
 * Validates `format` here and the rest with the summary's own schema, so the summary's
 * query (and its service) stay exactly as they are.
 */
export const summaryRequestPipe = {
  transform(value: unknown): SummaryRequest {
    const { format, ...rest } = (value ?? {}) as Record<string, unknown>;
    const parsed = formatSchema.safeParse(format);
    if (!parsed.success) throw new RequestValidationError([`format: must be json or csv`]);
    return { query: queryPipe.transform(rest, { type: 'query' }), format: parsed.data };
  },
};
