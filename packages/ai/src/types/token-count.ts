import type { NativeBody, NativeReply } from './native-body.js';

/** A request to count a prompt's input tokens, in the caller's wire format. */
export interface TokenCountRequest {
  /** The provider's own model id (after resolution). */
  model: string;
  native: NativeBody;
  signal?: AbortSignal;
  timeoutMs?: number;
}

/** How many input tokens a prompt holds, and who said so. */
export interface TokenCountResult {
  /** Provider name, as registered. */
  provider: string;
  /** The provider's model id. */
  model: string;
  inputTokens: number;
  /** reported: counted by the provider; estimated: by our tokenizer. */
  source: 'reported' | 'estimated';
  /** The provider's own answer, for a caller in its format. */
  native?: NativeReply;
}
