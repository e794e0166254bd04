import type { ReasoningPart } from '@aigw/ai';
import { encodeReasoning } from './reasoning-content.js';

/** The status of an output item. */
export type ItemStatus = 'in_progress' | 'completed' | 'incomplete';

/** An `output_text` content part (we have no annotations or log probabilities to give). */
export function outputTextPart(text: string) {
  return { type: 'output_text' as const, text, annotations: [], logprobs: [] };
}

/** An assistant message item holding one `output_text` part. */
export function messageItem(id: string, text: string, status: ItemStatus) {
  return {
    id,
    type: 'message' as const,
    role: 'assistant' as const,
    status,
    content: [outputTextPart(text)],
  };
}

/** A function call item; empty arguments are sent as `{}`, the JSON of no arguments. */
export function functionCallItem(
  id: string,
  call: { callId: string; name: string; arguments: string },
  status: ItemStatus,
) {
  return {
    id,
    type: 'function_call' as const,
    status,
    call_id: call.callId,
    name: call.name,
    arguments: call.arguments || '{}',
  };
}

/**
 * A reasoning item: each block's readable text as a summary part, and every block with
 * its signature (and redacted blocks) in `encrypted_content`, for a later turn to replay.
 */
export function reasoningItem(id: string, parts: ReasoningPart[]) {
  return {
    id,
    type: 'reasoning' as const,
    summary: parts.flatMap((part) =>
      part.type === 'reasoning' && part.text ? [{ type: 'summary_text' as const, text: part.text }] : [],
    ),
    encrypted_content: parts.length ? encodeReasoning(parts) : null,
  };
}
