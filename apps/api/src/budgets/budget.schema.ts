import { Prisma } from '@aigw/db';
import { z } from 'zod';
import { BUDGET_PERIODS, type Budget, DEFAULT_ALERT_THRESHOLDS } from './budget.js';

/** The most digits Decimal(24, 12) holds before and after the point. */
const MAX_DIGITS = 12;
const DECIMAL = new RegExp(`^\\d{1,${MAX_DIGITS}}(\\.\\d{1,${MAX_DIGITS}})?$`);
const AMOUNT_HINT = `a USD amount >= 0 as a decimal string or number, such as "25" or "12.50" (at most ${MAX_DIGITS} digits before and after the point)`;

/** A USD amount: a decimal string or a number, kept as an exact decimal string. */
export const usdAmount = z.union([z.string(), z.number()]).transform((value, ctx) => {
  // A number is written out in plain notation (1e-7 -> "0.0000001") by decimal.js, not rounded.
  const text =
    typeof value === 'number'
      ? Number.isFinite(value) && value >= 0
        ? new Prisma.Decimal(value).toFixed()
        : ''
      : value.trim();
  if (!DECIMAL.test(text)) {
    ctx.addIssue({ code: 'custom', message: `expected ${AMOUNT_HINT}` });
    return z.NEVER;
  }
  // One spelling per amount ("12.50" -> "12.5"), as the database gives it back.
  return new Prisma.Decimal(text).toFixed();
});

/** A threshold as a fraction (0.8) or a percentage (80). */
const threshold = z
  .number({ error: 'must be a number: a fraction such as 0.8, or a percentage such as 80' })
  .gt(0, 'must be more than 0')
  .max(100, 'must be at most 100 (a percentage) or 1 (a fraction)')
  .transform((t) => (t > 1 ? t / 100 : t));

/** One budget: `amountUsd` per `period`, with its alert thresholds. */
export const budgetSchema = z
  .strictObject({
    amountUsd: usdAmount.describe('USD per period (decimal string or number >= 0)'),
    period: z
      .enum(BUDGET_PERIODS, { error: `must be one of ${BUDGET_PERIODS.join(', ')}` })
      .default('total')
      .describe('daily | weekly | monthly (calendar periods in BUDGET_TIMEZONE) | total (never resets)'),
    alertThresholds: z
      .array(threshold)
      .max(10, 'at most 10 thresholds')
      .optional()
      .describe('Fractions of the amount (or percentages) at which an alert webhook goes out; default [0.8]'),
  })
  .transform(
    (b): Budget => ({
      amountUsd: b.amountUsd,
      period: b.period,
      alertThresholds: [...new Set(b.alertThresholds ?? DEFAULT_ALERT_THRESHOLDS)].sort((x, y) => x - y),
    }),
  );

/** A list of budgets (a single budget object is taken as a list of one), at most one per period. */
export const budgetsSchema = z
  .preprocess(
    (value) => (value && typeof value === 'object' && !Array.isArray(value) ? [value] : value),
    z.array(budgetSchema).max(4, 'at most 4 budgets: one per period'),
  )
  .superRefine((list, ctx) => {
    const periods = list.map((b) => b.period);
    const twice = periods.filter((p, i) => periods.indexOf(p) !== i);
    if (twice.length)
      ctx.addIssue({ code: 'custom', message: `at most one budget per period; ${twice[0]} is given twice` });
  })
  .describe('Budgets [{ amountUsd, period: daily|weekly|monthly|total, alertThresholds? }]');

/** A positive whole number limit (requests, tokens, calls in flight). */
export const positiveLimit = z
  .int({ error: 'must be a positive integer' })
  .positive('must be a positive integer')
  .max(2_147_483_647, 'must be at most 2147483647');

/** Model names, aliases or `provider/*` patterns; empty: any model. */
export const allowedModelsSchema = z
  .array(z.string().trim().min(1, 'must not be empty').max(300, 'must be at most 300 characters'))
  .max(500, 'at most 500 patterns')
  .transform((list) => [...new Set(list)])
  .describe('Model names, aliases or provider/* patterns it may call; empty or null: any');
