import { describe, expect, it } from '@jest/globals';
import { convertOpenAIResponsesUsage } from './convert-openai-responses-usage.js';

// Golden tests: a Responses API usage block in, our token model out.
describe('convertOpenAIResponsesUsage', () => {
  it('cached input and reasoning: input_tokens includes the cache, output_tokens includes reasoning', () => {
    const raw = {
      input_tokens: 2006,
      input_tokens_details: { cached_tokens: 1920 },
      output_tokens: 300,
      output_tokens_details: { reasoning_tokens: 256 },
      total_tokens: 2306,
    };
    expect(convertOpenAIResponsesUsage(raw)).toEqual({
      inputTokens: {
        total: 2006,
        noCache: 86,
        cacheRead: 1920,
        cacheWrite: undefined,
        cacheWrite1h: undefined,
      },
      outputTokens: { total: 300, text: 44, reasoning: 256 },
      source: 'reported',
      raw,
    });
  });

  it('cache writes, where reported, come out of the uncached input', () => {
    const usage = convertOpenAIResponsesUsage({
      input_tokens: 1500,
      input_tokens_details: { cached_tokens: 1000, cache_write_tokens: 400 },
      output_tokens: 20,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: 1520,
    });
    expect(usage.inputTokens).toEqual({
      total: 1500,
      noCache: 100,
      cacheRead: 1000,
      cacheWrite: 400,
      cacheWrite1h: undefined,
    });
    expect(usage.outputTokens).toEqual({ total: 20, text: 20, reasoning: 0 });
  });

  it('a block without details: unknown splits stay unknown, not zero', () => {
    const usage = convertOpenAIResponsesUsage({ input_tokens: 12, output_tokens: 3, total_tokens: 15 });
    expect(usage.inputTokens).toEqual({
      total: 12,
      noCache: undefined,
      cacheRead: undefined,
      cacheWrite: undefined,
      cacheWrite1h: undefined,
    });
    expect(usage.outputTokens).toEqual({ total: 3, text: undefined, reasoning: undefined });
    expect(usage.source).toBe('reported');
  });

  it('no usage block at all (null, as in response.created): every count unknown', () => {
    for (const block of [undefined, null]) {
      const usage = convertOpenAIResponsesUsage(block);
      expect(usage.source).toBe('unknown');
      expect(usage.inputTokens.total).toBeUndefined();
      expect(usage.outputTokens.total).toBeUndefined();
      expect(usage.raw).toBeUndefined();
    }
  });
});
