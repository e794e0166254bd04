import type { CallCost } from '../cost/compute-cost.js';
import type { ReasoningPart, ToolCall } from './chat-message.js';
import type { FinishReason } from './finish-reason.js';
import type { NativeReply } from './native-body.js';
import type { TokenUsage } from './token-usage.js';

/** One of several answers to a call that asked for `n` of them. */
export interface ChatChoice {
  text: string;
  toolCalls: ToolCall[];
  finishReason: FinishReason;
}

/** The answer to a chat call; usage travels with it, never on the provider instance. */
export interface ChatResult {
  /** Provider name, as registered. */
  provider: string;
  /** The provider's model id that answered (the provider may name a dated version). */
  model: string;
  /** The provider's response id, when it gives one. */
  id?: string;
  text: string;
  toolCalls: ToolCall[];
  /** Reasoning text, where the provider returns it. */
  reasoning?: string;
  /**
   * The reasoning blocks as returned, with their signatures: put them on the assistant
   * message of the next turn (`reasoning`) to continue a tool loop with thinking on.
   */
  reasoningParts?: ReasoningPart[];
  /** Every answer, in order, when more than one came back (`n`); the first is also `text`, `toolCalls`. */
  choices?: ChatChoice[];
  finishReason: FinishReason;
  usage: TokenUsage;
  /** Settings the provider does not support and ignored. */
  warnings: string[];
  /** Cost of the call; set by the call pipeline (providers do not know prices). */
  cost?: CallCost;
  /** The request id its usage row carries; set by the call pipeline. */
  requestId?: string;
  /** The native lane: the provider's answer as it sent it, for a caller in the same format. */
  native?: NativeReply;
}
