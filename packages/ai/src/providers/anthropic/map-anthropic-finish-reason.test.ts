import { describe, expect, it } from '@jest/globals';
import { mapAnthropicFinishReason } from './map-anthropic-finish-reason.js';

describe('mapAnthropicFinishReason', () => {
  it.each([
    ['end_turn', 'stop'],
    ['stop_sequence', 'stop'],
    ['max_tokens', 'length'],
    ['model_context_window_exceeded', 'length'],
    ['tool_use', 'tool-calls'],
    ['refusal', 'content-filter'],
    ['pause_turn', 'other'],
    ['a_reason_from_the_future', 'other'],
  ])('maps %s to %s, keeping the raw value', (raw, unified) => {
    expect(mapAnthropicFinishReason(raw)).toEqual({ unified, raw });
  });

  it.each([undefined, null])('maps %s to unknown', (raw) => {
    expect(mapAnthropicFinishReason(raw)).toEqual({ unified: 'unknown', raw: undefined });
  });
});
