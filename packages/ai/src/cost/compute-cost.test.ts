import { describe, expect, it } from '@jest/globals';
import { ModelCatalog } from '../catalog/model-catalog.js';
import type { ModelPricing } from '../types/model-info.js';
import { type TokenUsage, unknownUsage } from '../types/token-usage.js';
import { computeCost } from './compute-cost.js';

const usage = (
  input: Partial<TokenUsage['inputTokens']>,
  output: Partial<TokenUsage['outputTokens']>,
): TokenUsage => ({
  inputTokens: { ...unknownUsage().inputTokens, ...input },
  outputTokens: { ...unknownUsage().outputTokens, ...output },
  source: 'reported',
});

const sonnet: ModelPricing = {
  inputPerMTok: '3',
  outputPerMTok: '15',
  cachedInputPerMTok: '0.3',
  cacheWritePerMTok: '3.75',
  tiers: [
    {
      aboveInputTokens: 200_000,
      inputPerMTok: '6',
      outputPerMTok: '22.5',
      cachedInputPerMTok: '0.6',
      cacheWritePerMTok: '7.5',
    },
  ],
  source: 'test',
};

describe('computeCost', () => {
  it('prices known token counts exactly, as a finance person would by hand', () => {
    // 1,234 in at $2.50/M + 567 out at $10/M = 0.003085 + 0.00567
    const cost = computeCost(usage({ total: 1234 }, { total: 567 }), {
      inputPerMTok: '2.5',
      outputPerMTok: '10',
      source: 'test',
    });
    expect(cost).toMatchObject({ usd: '0.008755000000', status: 'priced' });
  });

  it('charges cache reads and writes at their own prices and never twice', () => {
    // Anthropic-style: 100 uncached + 1000 read + 200 written = 1300 input, 50 output.
    const cost = computeCost(
      usage({ total: 1300, noCache: 100, cacheRead: 1000, cacheWrite: 200 }, { total: 50 }),
      sonnet,
    );
    // 100*3 + 1000*0.3 + 200*3.75 + 50*15 = 300 + 300 + 750 + 750 = 2100 per 1M
    expect(cost.usd).toBe('0.002100000000');
  });

  it('derives the uncached part when only the total and cache reads are known (OpenAI style)', () => {
    const cost = computeCost(usage({ total: 2000, cacheRead: 1500 }, { total: 10 }), {
      inputPerMTok: '2.5',
      outputPerMTok: '10',
      cachedInputPerMTok: '1.25',
      source: 'test',
    });
    // 500*2.5 + 1500*1.25 + 10*10 = 1250 + 1875 + 100 = 3225 per 1M
    expect(cost.usd).toBe('0.003225000000');
  });

  it('charges reasoning tokens once, as part of output', () => {
    const cost = computeCost(usage({ total: 10 }, { total: 1000, reasoning: 800, text: 200 }), {
      inputPerMTok: '1.1',
      outputPerMTok: '4.4',
      source: 'test',
    });
    expect(cost.usd).toBe('0.004411000000');
  });

  it('does not round a 1-token call to the cheapest model to zero', () => {
    const cost = computeCost(usage({ total: 1 }, { total: 0 }), {
      inputPerMTok: '0.02',
      outputPerMTok: '0',
      source: 'test',
    });
    expect(cost.usd).toBe('0.000000020000');
  });

  it('prices the whole call at the higher tier past the threshold, and keeps the prices used', () => {
    const cost = computeCost(
      usage({ total: 250_000, noCache: 250_000, cacheRead: 0, cacheWrite: 0 }, { total: 1000 }),
      sonnet,
    );
    expect(cost.usd).toBe('1.522500000000');
    expect(cost.pricing).toMatchObject({ inputPerMTok: '6', outputPerMTok: '22.5' });
    expect(cost.pricing?.tiers).toBeUndefined();
  });

  it('is unpriced, not free, when the model has no known price', () => {
    expect(computeCost(usage({ total: 10 }, { total: 10 }), undefined)).toEqual({
      usd: null,
      status: 'unpriced',
      pricing: null,
    });
  });

  it('is null when no token count is known', () => {
    expect(computeCost(unknownUsage(), sonnet)).toMatchObject({ usd: null, status: 'unknown-usage' });
  });
});

describe('ModelCatalog', () => {
  const catalog = new ModelCatalog();
  catalog.addProvider({ name: 'openai', priceProviderId: 'openai' });
  catalog.addProvider({ name: 'anthropic', priceProviderId: 'anthropic' });
  catalog.addProvider({ name: 'local', priceProviderId: undefined });

  it('ships models with prices as decimal strings from the price database', () => {
    expect(catalog.get('openai', 'gpt-4o-mini')?.pricing).toMatchObject({
      inputPerMTok: '0.15',
      outputPerMTok: '0.6',
      cachedInputPerMTok: '0.075',
    });
    expect(catalog.get('anthropic', 'claude-sonnet-4-5')?.pricing?.tiers?.[0]).toMatchObject({
      aboveInputTokens: 200_000,
    });
    expect(catalog.get('openai', 'gpt-4o')?.contextWindow).toBe(128_000);
  });

  it('prices an unlisted dated snapshot through the price database', () => {
    expect(catalog.pricing('openai', 'gpt-4o-2024-08-06')).toBeDefined();
  });

  it('lets config add a model and override prices; unknown stays unpriced', () => {
    expect(catalog.pricing('local', 'llama3.2')).toBeUndefined();
    catalog.override({
      provider: 'local',
      id: 'llama3.2',
      inputPerMTok: '0.1',
      outputPerMTok: '0.2',
      cachedInputPerMTok: '0.05',
    });
    expect(catalog.pricing('local', 'llama3.2')).toEqual({
      inputPerMTok: '0.1',
      outputPerMTok: '0.2',
      cachedInputPerMTok: '0.05',
      source: 'config',
    });
    catalog.override({ provider: 'openai', id: 'gpt-4o-mini', outputPerMTok: '0.7' });
    expect(catalog.pricing('openai', 'gpt-4o-mini')).toMatchObject({
      inputPerMTok: '0.15',
      outputPerMTok: '0.7',
      source: 'config',
    });
    expect(() => catalog.override({ provider: 'nope', id: 'x' })).toThrow(
      /provider "nope" is not configured/,
    );
  });
});
