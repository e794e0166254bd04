import { type TokenUsage, unknownUsage } from '../../types/index.js';

/**
 * The counts of an Anthropic usage block, as found on a Message (`Usage`) or on a
 * `message_delta` event (`MessageDeltaUsage`); every count may be absent or null.
 */
export interface AnthropicUsageBlock {
  input_tokens?: number | null;
  output_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
  cache_read_input_tokens?: number | null;
  /** The cache writes by TTL (both parts of `cache_creation_input_tokens`). */
  cache_creation?: {
    ephemeral_5m_input_tokens?: number | null;
    ephemeral_1h_input_tokens?: number | null;
  } | null;
  /** Server tools run; web searches are billed per use. */
  server_tool_use?: { web_search_requests?: number | null; web_fetch_requests?: number | null } | null;
  output_tokens_details?: { thinking_tokens?: number | null } | null;
}

/**
 * Converts Anthropic usage to TokenUsage: the one place this happens. Anthropic's
 * `input_tokens` excludes cache reads and writes, so the total input is their sum.
 */
export function convertAnthropicUsage(usage: AnthropicUsageBlock | null | undefined): TokenUsage {
  if (!usage) return unknownUsage();
  const noCache = count(usage.input_tokens);
  const cacheRead = count(usage.cache_read_input_tokens);
  const cacheWrite = count(usage.cache_creation_input_tokens);
  const cacheWrite1h = count(usage.cache_creation?.ephemeral_1h_input_tokens);
  const output = count(usage.output_tokens);
  // API 2026-10-21 reports thinking tokens (inside `output_tokens`); older versions do not.
  const reasoning = count(usage.output_tokens_details?.thinking_tokens);
  return {
    inputTokens: {
      total: noCache === undefined ? undefined : noCache + (cacheRead ?? 0) + (cacheWrite ?? 0),
      noCache,
      cacheRead,
      cacheWrite,
      cacheWrite1h,
    },
    outputTokens: {
      total: output,
      text: output === undefined || reasoning === undefined ? undefined : output - reasoning,
      reasoning,
    },
    ...(usage.server_tool_use
      ? { serverTools: { webSearchRequests: count(usage.server_tool_use.web_search_requests) } }
      : {}),
    source: 'reported',
    raw: usage,
  };
}

/**
 * Merges a stream's usage blocks in arrival order: `message_start` brings the input and
 * cache counts with an initial `output_tokens`; each `message_delta` brings the
 * cumulative `output_tokens` (and `server_tool_use`) and may repeat the others. Later
 * non-null values win, field by field inside nested objects such as `cache_creation`.
 */
export function mergeAnthropicUsage(
  earlier: AnthropicUsageBlock | undefined,
  later: AnthropicUsageBlock | null | undefined,
): AnthropicUsageBlock | undefined {
  if (!later) return earlier;
  return mergeFields(earlier ?? {}, later) as AnthropicUsageBlock;
}

function mergeFields(earlier: object, later: object): Record<string, unknown> {
  // Every field is kept for `raw`, including those this version does not know.
  const merged: Record<string, unknown> = { ...earlier };
  for (const [field, value] of Object.entries(later)) {
    const before = merged[field];
    if (isObject(value) && isObject(before)) merged[field] = mergeFields(before, value);
    else if (value !== null && value !== undefined) merged[field] = value;
    else if (!(field in merged)) merged[field] = value;
  }
  return merged;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function count(value: number | null | undefined): number | undefined {
  return typeof value === 'number' ? value : undefined;
}
