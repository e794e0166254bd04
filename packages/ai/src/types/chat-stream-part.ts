import type { CallCost } from '../cost/compute-cost.js';
import type { FinishReason } from './finish-reason.js';
import type { TokenUsage } from './token-usage.js';

/**
 * One event of a chat stream, produced once from the provider's wire format and
 * serialised back to a wire format only at the edge.
 */
export type ChatStreamPart =
  /**
   * First event: which provider (set by AiService) and model answer, the response id, and
   * ignored settings; `native` when the stream is the provider's own bytes (`raw` parts).
   */
  | { type: 'start'; id?: string; model: string; provider?: string; warnings?: string[]; native?: boolean }
  /** The native lane: the provider's stream bytes as received, in order; the other parts are read from them. */
  | { type: 'raw'; data: Uint8Array }
  | { type: 'text-delta'; delta: string }
  | { type: 'reasoning-delta'; delta: string }
  /** The signature that closes the reasoning block streamed before it (Anthropic's `signature_delta`). */
  | { type: 'reasoning-signature'; signature: string }
  /** A reasoning block the provider sent encrypted, to be replayed as it is. */
  | { type: 'redacted-reasoning'; data: string }
  /** A tool call begins; its arguments follow as deltas, in order. */
  | { type: 'tool-call-start'; index: number; id: string; name: string }
  | { type: 'tool-call-delta'; index: number; argumentsDelta: string }
  /** Last event of a complete stream. */
  | {
      type: 'finish';
      finishReason: FinishReason;
      usage: TokenUsage;
      cost?: CallCost;
      /**
       * The native lane: the provider's own final answer object, where its stream carries
       * one (the Responses API's `response` of `response.completed` / `response.incomplete`).
       */
      nativeResult?: unknown;
    };
