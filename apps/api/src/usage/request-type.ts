import { z } from 'zod';

/** The request types the gateway writes to AIUsageLog's `requestType`, in the dashboard's order. */
export const REQUEST_TYPES = [
  'chat',
  'embedding',
  'responses',
  'image',
  'transcription',
  'translation',
  'speech',
] as const;

/**
 * `requestType=<type>`: only the rows of that request type. Any text is taken (a type not
 * written yet has no rows), so a new type needs no change here.
 */
export const requestTypeFilter = z
  .string()
  .min(1)
  .max(200)
  .optional()
  .describe(`Only rows of this request type (${REQUEST_TYPES.join(', ')})`);
