import { Prisma } from '@aigw/db';
import { z } from 'zod';

/** The most digits Decimal(24, 12) holds before and after the point. */
const MAX_DIGITS = 12;
const DECIMAL = new RegExp(`^\\d{1,${MAX_DIGITS}}(\\.\\d{1,${MAX_DIGITS}})?$`);
const AMOUNT_HINT = `a USD amount >= 0 as a decimal string or number, such as "25" or "12.50" (at most ${MAX_DIGITS} digits before and after the point)`;

/** A budget in USD: a decimal string or a number, kept as an exact decimal string. */
const budgetUsd = z.union([z.string(), z.number()]).transform((value, ctx) => {
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
  return text;
});

const name = z.string().max(200, 'must be at most 200 characters');
const rpmLimit = z
  .int({ error: 'must be a positive integer' })
  .positive('must be a positive integer')
  .max(2_147_483_647, 'must be at most 2147483647');

/** `POST /admin/keys`: the user the key is for, and its optional limits. Unknown fields are refused. */
export const createKeySchema = z.strictObject({
  userId: z
    .string({
      error: (issue) =>
        issue.input === undefined ? 'is required: the id of the user the key is for' : 'must be a string',
    })
    .min(1, 'must not be empty')
    .max(200, 'must be at most 200 characters')
    .describe('Who the key belongs to: every call made with it is recorded under this user'),
  name: name.nullish().describe('A label for the key'),
  budgetUsd: budgetUsd
    .nullish()
    .describe('Spending cap in USD (decimal string or number >= 0); absent or null: no cap'),
  rpmLimit: rpmLimit.nullish().describe('Requests per minute; absent or null: no limit'),
});

/** A validated `POST /admin/keys` body. */
export type CreateKeyBody = z.infer<typeof createKeySchema>;

/**
 * `PATCH /admin/keys/:id`: the limits (and label) to change. An absent field stays as it
 * is; null removes the cap (or the label). The key itself and its user never change.
 */
export const updateKeySchema = z
  .strictObject({
    name: name.nullish().describe('A label for the key; null removes it'),
    budgetUsd: budgetUsd
      .nullish()
      .describe(
        "Spending cap in USD over the key's whole life (decimal string or number >= 0); null: no cap",
      ),
    rpmLimit: rpmLimit.nullish().describe('Requests per minute; null: no limit'),
  })
  .refine((body) => Object.values(body).some((v) => v !== undefined), {
    message: 'nothing to change: send at least one of name, budgetUsd, rpmLimit',
  });

/** A validated `PATCH /admin/keys/:id` body. */
export type UpdateKeyBody = z.infer<typeof updateKeySchema>;

/** The `:id` of `PATCH` and `DELETE /admin/keys/:id`. */
export const keyIdParamsSchema = z.object({
  id: z.guid('must be a key id (a UUID) as returned by POST /admin/keys'),
});

/** Validated key route params. */
export type KeyIdParams = z.infer<typeof keyIdParamsSchema>;
