/** Who a call is for; recorded on its usage row. */
export interface CallContext {
  userId: string;
  apiKeyId?: string;
  characterId?: string;
  chatId?: string;
  /** One per incoming request; generated when absent. */
  requestId?: string;
  /** Anything else worth keeping on the row (JSON). */
  metadata?: Record<string, unknown>;
}
