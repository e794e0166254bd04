import { z } from 'zod';
import { rangeFields, withDefaultRange } from './usage-range.schema.js';

/** Users listed unless `limit` says otherwise, and the most it may say. */
export const DEFAULT_TOP_USERS = 10;
export const MAX_TOP_USERS = 100;

/** `GET /admin/usage/users`: a range and how many users. Unknown parameters are refused. */
export const usersQueryShape = z.strictObject({
  ...rangeFields,
  limit: z
    .string()
    .optional()
    .transform((text, ctx) => {
      if (text === undefined) return DEFAULT_TOP_USERS;
      const n = /^\d{1,6}$/.test(text) ? Number(text) : Number.NaN;
      if (n >= 1 && n <= MAX_TOP_USERS) return n;
      ctx.addIssue({
        code: 'custom',
        message: `must be an integer from 1 to ${MAX_TOP_USERS}, got "${text.slice(0, 20)}"`,
      });
      return z.NEVER;
    })
    .describe(`Users to list, 1 to ${MAX_TOP_USERS}; default ${DEFAULT_TOP_USERS}`),
});
export const usersQuerySchema = withDefaultRange(usersQueryShape);
export type UsersQuery = z.infer<typeof usersQuerySchema>;
