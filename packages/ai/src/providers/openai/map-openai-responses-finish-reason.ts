import type { FinishReason } from '../../types/finish-reason.js';

/**
 * A Response's `status` (and `incomplete_details.reason`) in our vocabulary: completed is
 * `stop`, or `tool-calls` when it holds function calls; the raw word is the incomplete
 * reason when there is one, else the status.
 */
export function mapOpenAIResponsesFinishReason(
  status: string | null | undefined,
  incompleteReason: string | null | undefined,
  hasToolCalls: boolean,
): FinishReason {
  switch (status ?? undefined) {
    case 'completed':
      return { unified: hasToolCalls ? 'tool-calls' : 'stop', raw: 'completed' };
    case 'incomplete': {
      const raw = incompleteReason ?? 'incomplete';
      if (raw === 'max_output_tokens') return { unified: 'length', raw };
      if (raw === 'content_filter') return { unified: 'content-filter', raw };
      return { unified: 'other', raw };
    }
    case 'failed':
      return { unified: 'error', raw: 'failed' };
    case undefined:
      return { unified: 'unknown', raw: undefined };
    default:
      // cancelled, and a background response still queued or in progress.
      return { unified: 'other', raw: status ?? undefined };
  }
}
