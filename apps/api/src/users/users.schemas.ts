import { z } from 'zod';
import { budgetsSchema } from '../budgets/budget.schema.js';

/** `PUT|PATCH /admin/users/:userId`: the user's budgets (null or [] removes them). */
export const userBudgetsSchema = z.strictObject({
  budgets: budgetsSchema.nullable().describe('Budgets every key of the user spends from; null or []: none'),
});

/** A validated user budgets body. */
export type UserBudgetsBody = z.infer<typeof userBudgetsSchema>;

/** `:userId` of a user route. */
export const userParamsSchema = z.object({
  userId: z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters'),
});
