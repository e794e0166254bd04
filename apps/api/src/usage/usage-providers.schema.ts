import { z } from 'zod';
import { rangeFields, withDefaultRange } from './usage-range.schema.js';

/** `GET /admin/usage/providers`: a range only. Unknown parameters are refused. */
export const providersQueryShape = z.strictObject(rangeFields);
export const providersQuerySchema = withDefaultRange(providersQueryShape);
export type ProvidersQuery = z.infer<typeof providersQuerySchema>;
