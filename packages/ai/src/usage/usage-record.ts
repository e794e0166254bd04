/**
 * One `AIUsageLog` row, ready to write. Built by the usage interceptor; written in
 * batches by UsageWriter. (requestId, attempt) identifies it: writing it twice is a no-op.
 */
export interface UsageRecord {
  /** Row id (UUIDv7), fixed when the record is made so retried writes stay the same row. */
  id: string;
  requestId: string;
  attempt: number;
  userId: string;
  apiKeyId: string | null;
  /** The team the call was charged to; absent in records spooled before teams existed. */
  teamId?: string | null;
  provider: string;
  model: string;
  requestedModel: string;
  requestType: 'chat' | 'embedding' | 'responses' | 'image' | 'transcription' | 'translation' | 'speech';
  stream: boolean;
  promptTokens: number | null;
  cacheReadTokens: number | null;
  cacheWriteTokens: number | null;
  completionTokens: number | null;
  reasoningTokens: number | null;
  totalTokens: number | null;
  usageSource: 'reported' | 'estimated' | 'unknown';
  /** Images and audio: what the call is billed by (`image`, `second`, `character`); else absent or null. */
  unit?: string | null;
  /** How many of `unit` (a decimal string: seconds may have a fraction); null when unknown. */
  quantity?: string | null;
  /** Decimal string, or null when the model has no known price or usage is unknown. */
  costUsd: string | null;
  /** The per-1M prices the cost was computed from (ModelPricing), or null. */
  pricing: Record<string, unknown> | null;
  isSuccess: boolean;
  errorCode: string | null;
  httpStatus: number | null;
  latencyMs: number;
  timeToFirstTokenMs: number | null;
  characterId: string | null;
  chatId: string | null;
  metadata: Record<string, unknown>;
  /** ISO 8601 time the call started. */
  createdAt: string;
}
