import { describe, expect, it } from '@jest/globals';
import type { ModelPricing } from '../types/model-info.js';
import { estimatePromptTokens } from '../usage/estimate-tokens.js';
import { DEFAULT_MAX_OUTPUT_TOKENS, worstCaseChatCost, worstCaseEmbedCost } from './worst-case-cost.js';

const pricing: ModelPricing = { inputPerMTok: '2', outputPerMTok: '10', source: 'config' };
const messages = [{ role: 'user' as const, content: 'Hello there, how are you today?' }];
const prompt = Math.ceil(estimatePromptTokens(messages) * 1.25);

describe('worstCaseChatCost', () => {
  it('prices the prompt estimate with its margin plus max tokens of output', () => {
    expect(worstCaseChatCost({ model: 'm', messages, maxTokens: 100 }, pricing, 128_000)).toEqual({
      usd: ((prompt * 2 + 100 * 10) / 1e6).toFixed(12),
      promptTokens: prompt,
      outputTokens: 100,
    });
  });

  it('reserves what the context window leaves, at most 4096 tokens, when max tokens is not set', () => {
    expect(worstCaseChatCost({ model: 'm', messages }, pricing, 128_000)?.outputTokens).toBe(
      DEFAULT_MAX_OUTPUT_TOKENS,
    );
    expect(worstCaseChatCost({ model: 'm', messages }, pricing, undefined)?.outputTokens).toBe(4096);
    const small = worstCaseChatCost({ model: 'm', messages }, pricing, 1000);
    expect(small?.outputTokens).toBe(1000 - estimatePromptTokens(messages));
  });

  it('charges the prompt at the cache-write price when that is dearer', () => {
    const cached = { ...pricing, cacheWritePerMTok: '2.5', cachedInputPerMTok: '0.2' };
    expect(worstCaseChatCost({ model: 'm', messages, maxTokens: 0 }, cached, undefined)?.usd).toBe(
      ((prompt * 2.5) / 1e6).toFixed(12),
    );
  });

  it('is undefined for an unpriced model', () => {
    expect(worstCaseChatCost({ model: 'm', messages }, undefined, undefined)).toBeUndefined();
    expect(worstCaseEmbedCost({ model: 'm', input: ['x'] }, undefined)).toBeUndefined();
  });

  it('prices embeddings by their input alone', () => {
    const worst = worstCaseEmbedCost({ model: 'm', input: ['hello world', 'again'] }, pricing);
    expect(worst?.outputTokens).toBe(0);
    expect(worst?.usd).toBe((((worst?.promptTokens ?? 0) * 2) / 1e6).toFixed(12));
  });
});
