import type { UsageRecord } from './usage-record.js';

/**
 * One `AIUsageLog` row as JSON for `insert-usage-rows.sql.ts`: keys are the column names,
 * values what PostgreSQL's JSON-to-row conversion reads exactly (decimal strings stay
 * strings, no float on the way; JSON null is SQL NULL).
 */
export type UsageRow = { [K in keyof UsageRecord]: UsageRecord[K] };

/** The columns written, in order: every field of a UsageRecord. */
export const USAGE_COLUMNS = [
  'id',
  'requestId',
  'attempt',
  'userId',
  'apiKeyId',
  'teamId',
  'provider',
  'model',
  'requestedModel',
  'requestType',
  'stream',
  'promptTokens',
  'cacheReadTokens',
  'cacheWriteTokens',
  'completionTokens',
  'reasoningTokens',
  'totalTokens',
  'usageSource',
  'unit',
  'quantity',
  'costUsd',
  'pricing',
  'isSuccess',
  'errorCode',
  'httpStatus',
  'latencyMs',
  'timeToFirstTokenMs',
  'characterId',
  'chatId',
  'metadata',
  'createdAt',
] as const satisfies readonly (keyof UsageRecord)[];

/** The row for one record; throws for a record that cannot be a row (say, from a hand-edited spool file). */
export function toUsageRow(r: UsageRecord): UsageRow {
  // Field by field rather than a spread: a stray property must not reach the database.
  return {
    id: r.id,
    requestId: r.requestId,
    attempt: r.attempt,
    userId: r.userId,
    apiKeyId: r.apiKeyId,
    teamId: r.teamId ?? null,
    provider: r.provider,
    model: r.model,
    requestedModel: r.requestedModel,
    requestType: r.requestType,
    stream: r.stream,
    promptTokens: r.promptTokens,
    cacheReadTokens: r.cacheReadTokens,
    cacheWriteTokens: r.cacheWriteTokens,
    completionTokens: r.completionTokens,
    reasoningTokens: r.reasoningTokens,
    totalTokens: r.totalTokens,
    usageSource: r.usageSource,
    unit: r.unit ?? null,
    quantity: r.quantity ?? null,
    // The decimal string as is: every digit reaches NUMERIC(24,12).
    costUsd: r.costUsd,
    // JSON null becomes SQL NULL: "no price" reads as NULL in SQL.
    pricing: r.pricing,
    isSuccess: r.isSuccess,
    errorCode: r.errorCode,
    httpStatus: r.httpStatus,
    latencyMs: r.latencyMs,
    timeToFirstTokenMs: r.timeToFirstTokenMs,
    characterId: r.characterId,
    chatId: r.chatId,
    metadata: r.metadata ?? {},
    // Normalized to UTC with a zone, so the TIMESTAMPTZ column reads the instant meant;
    // an invalid date throws here (RangeError) and the record is set aside.
    createdAt: new Date(r.createdAt).toISOString(),
  };
}
