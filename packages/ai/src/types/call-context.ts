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
  /** Limits of the caller's virtual key, enforced by the limit interceptors. */
  limits?: {
    /** Total USD the key may spend (decimal string). */
    budgetUsd?: string | null;
    /** Requests per minute. */
    rpmLimit?: number | null;
  };
}
