import { z } from 'zod';
import { MODELS_CREATED, type ModelEntry } from './model-entry.js';

/** `GET /v1/models?limit&after_id&before_id`, Anthropic's paging (ignored in OpenAI's format, which has none). */
export const anthropicModelsQuerySchema = z.object({
  limit: z.coerce
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(1000, 'must be at most 1000')
    .optional()
    .describe("Anthropic's format only: entries per page (default 20)"),
  after_id: z.string().min(1).optional().describe("Anthropic's format only: the page after this id"),
  before_id: z.string().min(1).optional().describe("Anthropic's format only: the page before this id"),
});

/** Validated Anthropic paging. */
export type AnthropicModelsQuery = z.infer<typeof anthropicModelsQuerySchema>;

/**
 * One model in Anthropic's format (every field of its ModelInfo), with the gateway's fields
 * beside; the gateway's capabilities go under `gateway_capabilities`, since Anthropic's
 * `capabilities` has another shape (null here: not known for other providers' models).
 */
function anthropicModel(entry: ModelEntry) {
  const { id, object: _object, created: _created, capabilities, ...rest } = entry;
  return {
    type: 'model' as const,
    id,
    display_name: id,
    created_at: new Date(MODELS_CREATED * 1000).toISOString().replace('.000Z', 'Z'),
    capabilities: null,
    max_input_tokens: typeof rest.context_window === 'number' ? rest.context_window : null,
    max_tokens: null,
    lifecycle: 'active' as const,
    deprecated_at: null,
    retires_at: null,
    line: null,
    ...rest,
    ...(capabilities === undefined ? {} : { gateway_capabilities: capabilities }),
  };
}

/**
 * A page of `entries` in Anthropic's list format (`data`, `has_more`, `first_id`,
 * `last_id`): `limit` of them (20 by default) after `after_id`, or before `before_id`.
 */
export function anthropicModelPage(entries: ModelEntry[], query: AnthropicModelsQuery) {
  const limit = query.limit ?? 20;
  const index = (id: string | undefined) => (id === undefined ? -1 : entries.findIndex((e) => e.id === id));
  let start = 0;
  let end = entries.length;
  if (query.before_id !== undefined) {
    end = Math.max(index(query.before_id), 0);
    start = Math.max(end - limit, 0);
  } else {
    if (query.after_id !== undefined) start = index(query.after_id) + 1 || entries.length;
    end = Math.min(start + limit, entries.length);
  }
  const data = entries.slice(start, end).map(anthropicModel);
  return {
    data,
    has_more: query.before_id !== undefined ? start > 0 : end < entries.length,
    first_id: data[0]?.id ?? null,
    last_id: data.at(-1)?.id ?? null,
  };
}
