import { z } from 'zod';
import { allowedModelsSchema, budgetsSchema, positiveLimit } from '../budgets/budget.schema.js';

const userId = z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters');
const webhookUrl = z
  .url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://hooks.example.com/aigw' })
  .max(2000, 'must be at most 2000 characters');

/** What a team carries besides its name (absent: unchanged on PATCH; null: none). */
const teamFields = {
  budgets: budgetsSchema.nullish(),
  rpmLimit: positiveLimit.nullish().describe('Requests per minute of all its keys together; null: no limit'),
  tpmLimit: positiveLimit.nullish().describe('Tokens per minute of all its keys together; null: no limit'),
  maxParallel: positiveLimit
    .nullish()
    .describe('Calls in flight at once, all its keys together; null: no limit'),
  allowedModels: allowedModelsSchema.nullish(),
  alertWebhookUrl: webhookUrl.nullish().describe('Where its budget alerts go (else ALERT_WEBHOOK_URL)'),
  alertWebhookFormat: z
    .enum(['json', 'slack'], { error: 'must be json or slack' })
    .nullish()
    .describe("json: the gateway's alert body; slack: Slack's { text }"),
  alertWebhookSecret: z
    .string()
    .min(16, 'must be at least 16 characters long')
    .max(500, 'must be at most 500 characters')
    .nullish()
    .describe('Signs its alert webhooks (HMAC-SHA256); never shown back. null: ALERT_WEBHOOK_SECRET'),
  metadata: z.record(z.string(), z.unknown()).nullish().describe('Anything else to keep with it'),
};

const name = z
  .string({ error: (i) => (i.input === undefined ? 'is required: a unique team name' : 'must be a string') })
  .trim()
  .min(1, 'must not be empty')
  .max(200, 'must be at most 200 characters');

/** `POST /admin/teams`. */
export const createTeamSchema = z.strictObject({
  name: name.describe('Unique team name'),
  ...teamFields,
  members: z.array(userId).max(10_000).optional().describe('User ids to add as members'),
});

/** A validated `POST /admin/teams` body. */
export type CreateTeamBody = z.infer<typeof createTeamSchema>;

/** `PATCH /admin/teams/:id`: an absent field stays as it is; null removes it. */
export const updateTeamSchema = z
  .strictObject({ name: name.optional(), ...teamFields })
  .refine((body) => Object.values(body).some((v) => v !== undefined), {
    message: `nothing to change: send at least one of name, ${Object.keys(teamFields).join(', ')}`,
  });

/** A validated `PATCH /admin/teams/:id` body. */
export type UpdateTeamBody = z.infer<typeof updateTeamSchema>;

/** `POST /admin/teams/:id/members`: `{ userId }` or `{ userIds: [...] }`. */
export const addMembersSchema = z
  .strictObject({ userId: userId.optional(), userIds: z.array(userId).max(10_000).optional() })
  .transform((body) => [...new Set([...(body.userId ? [body.userId] : []), ...(body.userIds ?? [])])])
  .refine((ids) => ids.length > 0, { message: 'send userId or userIds' });

/** `:id` of a team route. */
export const teamIdParamsSchema = z.object({
  id: z.guid('must be a team id (a UUID) as returned by POST /admin/teams'),
});

/** `:id` and `:userId` of a member route. */
export const memberParamsSchema = teamIdParamsSchema.extend({ userId });
