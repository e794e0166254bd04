import type { FinishReason } from '../../types/index.js';

/** Maps Anthropic's `stop_reason` to our unified finish reason, keeping the raw value. */
export function mapAnthropicFinishReason(stopReason: string | null | undefined): FinishReason {
  const raw = stopReason ?? undefined;
  switch (raw) {
    case 'end_turn':
    case 'stop_sequence':
      return { unified: 'stop', raw };
    case 'max_tokens':
    // The context window ran out before `max_tokens`: the answer is cut short all the same.
    case 'model_context_window_exceeded':
      return { unified: 'length', raw };
    case 'tool_use':
      return { unified: 'tool-calls', raw };
    case 'refusal':
      return { unified: 'content-filter', raw };
    case undefined:
      return { unified: 'unknown', raw };
    default:
      // `pause_turn` (a long server-tool turn to resume) and values added after this SDK version.
      return { unified: 'other', raw };
  }
}
