import type { WireFormat } from '../types/native-body.js';

/** What went wrong, in one vocabulary for every provider. */
export type AIErrorCode =
  | 'authentication'
  | 'bad_request'
  | 'model_not_found'
  | 'rate_limited'
  | 'timeout'
  | 'aborted'
  | 'upstream_error'
  | 'connection_error'
  | 'budget_exceeded'
  | 'model_not_allowed';

/** The budget a refused call would have passed, as the refusal names it. */
export interface RefusedBudget {
  scope: 'key' | 'user' | 'team';
  id: string;
  name?: string;
  period: 'daily' | 'weekly' | 'monthly' | 'total';
  amountUsd: string;
  spentUsd: string;
  /** Held by calls in progress. */
  reservedUsd: string;
  /** What this call could cost at most. */
  callUsd: string;
  /** When the period's spend starts again from zero (ISO); null for a `total` budget. */
  resetsAt: string | null;
}

/** An upstream's error body as it sent it, for a caller speaking the same wire format. */
export interface UpstreamReply {
  format: WireFormat;
  status: number;
  contentType: string;
  body: string;
}

/**
 * Base of every error the provider layer throws. Messages never contain a key: they
 * are built from our own words and the upstream's message after scrubbing.
 */
export class AIError extends Error {
  override readonly name: string = 'AIError';

  constructor(
    readonly code: AIErrorCode,
    message: string,
    readonly details: {
      /** Whether sending the same call again (later) can succeed. */
      retryable: boolean;
      /** The upstream's HTTP status, when there was one. */
      status?: number;
      provider?: string;
      /** How long the upstream asked us to wait before retrying. */
      retryAfterMs?: number;
      /** The upstream's own error type or code. */
      upstreamCode?: string;
      /** Set when our own limiter refused the call (it never reached the provider). */
      limit?: {
        scope: 'provider' | 'key' | 'user' | 'team';
        kind: 'rpm' | 'tpm' | 'budget' | 'parallel' | 'model';
        /** The limit's value (requests or tokens per window, calls in flight). */
        value?: number;
        /** What is left of it in the current window. */
        remaining?: number;
      };
      /** The budget that refused the call (`budget_exceeded`). */
      budget?: RefusedBudget;
      /** The patterns the model had to match (`model_not_allowed`). */
      allowedModels?: string[];
      /**
       * The native lane: the upstream's own error body (secrets cut), in its wire format, for
       * a caller in that format. On a stream that had begun, the caller already got it in-band.
       */
      upstreamReply?: UpstreamReply;
    },
  ) {
    // No `cause`: an SDK error carries the request, headers included.
    super(scrubSecrets(message));
  }

  get retryable(): boolean {
    return this.details.retryable;
  }

  get status(): number | undefined {
    return this.details.status;
  }
}

/** Removes anything shaped like an API key or bearer token from a message. */
export function scrubSecrets(message: string): string {
  return message
    .replace(/(bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi, '$1[redacted]')
    .replace(/\b(sk-[A-Za-z]{0,8}-?)[A-Za-z0-9_-]{12,}/g, '$1[redacted]')
    .replace(/\b(AIza)[A-Za-z0-9_-]{20,}/g, '$1[redacted]')
    .replace(/\b(gsk_)[A-Za-z0-9]{20,}/g, '$1[redacted]');
}

/** The text with the literal values of secrets (8 characters or more: the keys) cut out. */
export function cutSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const secret of secrets) if (secret && secret.length >= 8) out = out.split(secret).join('[redacted]');
  return out;
}
