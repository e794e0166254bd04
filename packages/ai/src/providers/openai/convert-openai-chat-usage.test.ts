import { describe, expect, it } from '@jest/globals';
import { convertOpenAIChatUsage } from './convert-openai-chat-usage.js';

// Golden tests: a provider's recorded usage block in, our token model out.
describe('convertOpenAIChatUsage', () => {
  it('OpenAI with cached input and reasoning: prompt_tokens includes the cache, completion includes reasoning', () => {
    const raw = {
      prompt_tokens: 2006,
      completion_tokens: 300,
      total_tokens: 2306,
      prompt_tokens_details: { cached_tokens: 1920, audio_tokens: 0 },
      completion_tokens_details: {
        reasoning_tokens: 256,
        audio_tokens: 0,
        accepted_prediction_tokens: 0,
        rejected_prediction_tokens: 0,
      },
    };
    expect(convertOpenAIChatUsage(raw)).toEqual({
      inputTokens: { total: 2006, noCache: 86, cacheRead: 1920, cacheWrite: undefined },
      outputTokens: { total: 300, text: 44, reasoning: 256 },
      source: 'reported',
      raw,
    });
  });

  it('DeepSeek: cache hits from prompt_cache_hit_tokens', () => {
    const raw = {
      prompt_tokens: 100,
      completion_tokens: 5,
      total_tokens: 105,
      prompt_cache_hit_tokens: 64,
      prompt_cache_miss_tokens: 36,
    };
    expect(convertOpenAIChatUsage(raw).inputTokens).toEqual({
      total: 100,
      noCache: 36,
      cacheRead: 64,
      cacheWrite: undefined,
    });
  });

  it('OpenRouter: cache writes reported in prompt_tokens_details', () => {
    const raw = {
      prompt_tokens: 1500,
      completion_tokens: 20,
      prompt_tokens_details: { cached_tokens: 1000, cache_write_tokens: 400 },
      completion_tokens_details: { reasoning_tokens: 0 },
    };
    expect(convertOpenAIChatUsage(raw).inputTokens).toEqual({
      total: 1500,
      noCache: 100,
      cacheRead: 1000,
      cacheWrite: 400,
    });
  });

  it('a bare server (vLLM, Ollama) with no details: unknown splits stay unknown, not zero', () => {
    const usage = convertOpenAIChatUsage({ prompt_tokens: 12, completion_tokens: 3, total_tokens: 15 });
    expect(usage.inputTokens).toEqual({
      total: 12,
      noCache: undefined,
      cacheRead: undefined,
      cacheWrite: undefined,
    });
    expect(usage.outputTokens).toEqual({ total: 3, text: undefined, reasoning: undefined });
  });

  it('no usage block at all: every count unknown', () => {
    const usage = convertOpenAIChatUsage(undefined);
    expect(usage.source).toBe('unknown');
    expect(usage.inputTokens.total).toBeUndefined();
    expect(usage.outputTokens.total).toBeUndefined();
  });
});
