import { describe, expect, it } from '@jest/globals';
import type { ModelPricing } from '../types/model-info.js';
import { estimatePromptTokens } from '../usage/estimate-tokens.js';
import { worstCaseChatCost } from './worst-case-cost.js';

const messages = [{ role: 'user' as const, content: 'Hello there, how are you today?' }];
const prompt = Math.ceil(estimatePromptTokens(messages) * 1.25);

describe('worstCaseChatCost with 1-hour cache writes', () => {
  it('charges the prompt at the 1-hour cache-write price when that is the dearest input rate', () => {
    const pricing: ModelPricing = {
      inputPerMTok: '3',
      outputPerMTok: '15',
      cacheWritePerMTok: '3.75',
      cacheWrite1hPerMTok: '6',
      source: 'test',
    };
    expect(worstCaseChatCost({ model: 'm', messages, maxTokens: 0 }, pricing, undefined)?.usd).toBe(
      ((prompt * 6) / 1e6).toFixed(12),
    );
  });

  it('keeps the dearer 5-minute write price when the 1-hour price is lower', () => {
    const pricing: ModelPricing = {
      inputPerMTok: '3',
      outputPerMTok: '15',
      cacheWritePerMTok: '3.75',
      cacheWrite1hPerMTok: '1',
      source: 'test',
    };
    expect(worstCaseChatCost({ model: 'm', messages, maxTokens: 0 }, pricing, undefined)?.usd).toBe(
      ((prompt * 3.75) / 1e6).toFixed(12),
    );
  });
});
