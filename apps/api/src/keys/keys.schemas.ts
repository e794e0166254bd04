import { z } from 'zod';
import { allowedModelsSchema, budgetsSchema, positiveLimit, usdAmount } from '../budgets/budget.schema.js';

const name = z.string().max(200, 'must be at most 200 characters');
const budgetUsd = usdAmount;
const rpmLimit = positiveLimit;
const DAY_MS = 86_400_000;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
/**
 * An ISO 8601 date-time with an offset, that instant; or a date alone, the end of that UTC
 * day (the next midnight UTC): `2099-01-01` lets the key work all through January 1st.
 */
const expiresAt = z
  .union([z.iso.date(), z.iso.datetime({ offset: true })], {
    error:
      'must be an ISO 8601 date-time such as 2027-01-31T00:00:00Z, or a date such as 2027-01-31 (the end of that day, UTC)',
  })
  .transform((value) =>
    DATE_ONLY.test(value) ? new Date(Date.parse(`${value}T00:00:00Z`) + DAY_MS) : new Date(value),
  );

/** The limits a key takes besides its user (absent: unchanged on PATCH; null: none). */
const keyLimits = {
  teamId: z.guid('must be a team id (a UUID) as returned by POST /admin/teams').nullish(),
  budgets: budgetsSchema.nullish(),
  tpmLimit: positiveLimit.nullish().describe('Tokens per minute; null: no limit'),
  maxParallel: positiveLimit.nullish().describe('Calls in flight at once; null: no limit'),
  allowedModels: allowedModelsSchema.nullish(),
  expiresAt: expiresAt
    .nullish()
    .describe('When the key stops working (ISO 8601; a date alone: the end of that day, UTC); null: never'),
};

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
  ...keyLimits,
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
    ...keyLimits,
  })
  .refine((body) => Object.values(body).some((v) => v !== undefined), {
    message: `nothing to change: send at least one of name, budgetUsd, rpmLimit, ${Object.keys(keyLimits).join(', ')}`,
  });

/** A validated `PATCH /admin/keys/:id` body. */
export type UpdateKeyBody = z.infer<typeof updateKeySchema>;

/** The `:id` of `PATCH` and `DELETE /admin/keys/:id`. */
export const keyIdParamsSchema = z.object({
  id: z.guid('must be a key id (a UUID) as returned by POST /admin/keys'),
});

/** Validated key route params. */
export type KeyIdParams = z.infer<typeof keyIdParamsSchema>;

/** `GET /admin/keys?teamId&userId&includeRevoked`: revoked keys only when asked for. */
export const listKeysQuerySchema = z.strictObject({
  teamId: z.guid('must be a team id (a UUID)').optional(),
  userId: z.string().min(1).max(200).optional(),
  includeRevoked: z
    .enum(['true', 'false', '1', '0'], { error: 'must be true or false (or 1 or 0)' })
    .optional()
    .transform((value) => value === 'true' || value === '1')
    .describe('true or 1: revoked keys too (each with its revokedAt); default false: only keys not revoked'),
});

/** A validated key list query. */
export type ListKeysQuery = z.infer<typeof listKeysQuerySchema>;
