import type { FinishReason } from '../../types/finish-reason.js';

/** OpenAI's finish_reason in our vocabulary, with the original kept. */
export function mapOpenAIFinishReason(raw: string | null | undefined): FinishReason {
  const value = raw ?? undefined;
  switch (value) {
    case 'stop':
      return { unified: 'stop', raw: value };
    case 'length':
      return { unified: 'length', raw: value };
    case 'tool_calls':
    case 'function_call':
      return { unified: 'tool-calls', raw: value };
    case 'content_filter':
      return { unified: 'content-filter', raw: value };
    case undefined:
      return { unified: 'unknown', raw: value };
    default:
      return { unified: 'other', raw: value };
  }
}
