import { describe, expect, it } from '@jest/globals';
import { mapOpenAIResponsesFinishReason } from './map-openai-responses-finish-reason.js';

describe('mapOpenAIResponsesFinishReason', () => {
  it('maps each status, and the reason of an incomplete one', () => {
    expect(mapOpenAIResponsesFinishReason('completed', undefined, false)).toEqual({
      unified: 'stop',
      raw: 'completed',
    });
    expect(mapOpenAIResponsesFinishReason('completed', null, true)).toEqual({
      unified: 'tool-calls',
      raw: 'completed',
    });
    expect(mapOpenAIResponsesFinishReason('incomplete', 'max_output_tokens', false)).toEqual({
      unified: 'length',
      raw: 'max_output_tokens',
    });
    expect(mapOpenAIResponsesFinishReason('incomplete', 'content_filter', false)).toEqual({
      unified: 'content-filter',
      raw: 'content_filter',
    });
    expect(mapOpenAIResponsesFinishReason('incomplete', undefined, false)).toEqual({
      unified: 'other',
      raw: 'incomplete',
    });
    expect(mapOpenAIResponsesFinishReason('failed', undefined, false)).toEqual({
      unified: 'error',
      raw: 'failed',
    });
    expect(mapOpenAIResponsesFinishReason('cancelled', undefined, false)).toEqual({
      unified: 'other',
      raw: 'cancelled',
    });
    expect(mapOpenAIResponsesFinishReason(undefined, undefined, false)).toEqual({
      unified: 'unknown',
      raw: undefined,
    });
  });
});
