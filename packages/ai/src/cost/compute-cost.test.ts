import { describe, expect, it } from '@jest/globals';
import { ModelCatalog } from '../catalog/model-catalog.js';
import type { ModelPricing } from '../types/model-info.js';
import { type TokenUsage, unknownUsage } from '../types/token-usage.js';
import { computeCost } from './compute-cost.js';

const usage = (
  input: Partial<TokenUsage['inputTokens']>,
  output: Partial<TokenUsage['outputTokens']>,
  serverTools?: TokenUsage['serverTools'],
): TokenUsage => ({
  inputTokens: { ...unknownUsage().inputTokens, ...input },
  outputTokens: { ...unknownUsage().outputTokens, ...output },
  ...(serverTools ? { serverTools } : {}),
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

/** Sonnet with its 1-hour write price (base and tier) and its web search price. */
const sonnet1h: ModelPricing = {
  ...sonnet,
  cacheWrite1hPerMTok: '6',
  webSearchPerThousand: '10',
  tiers: [
    { ...(sonnet.tiers?.[0] as NonNullable<ModelPricing['tiers']>[number]), cacheWrite1hPerMTok: '12' },
  ],
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

  it('charges 1-hour cache writes at their own rate and the rest of the writes at the 5-minute rate', () => {
    // 2000 written, 800 of them for 1 hour: 100*3 + 1000*0.3 + 1200*3.75 + 800*6 + 50*15
    // = 300 + 300 + 4500 + 4800 + 750 = 10650 per 1M (all writes at 3.75: 9150).
    const cost = computeCost(
      usage(
        { total: 3100, noCache: 100, cacheRead: 1000, cacheWrite: 2000, cacheWrite1h: 800 },
        { total: 50 },
      ),
      sonnet1h,
    );
    expect(cost.usd).toBe('0.010650000000');
    expect(cost.pricing).toMatchObject({ cacheWritePerMTok: '3.75', cacheWrite1hPerMTok: '6' });
  });

  it('charges 1-hour writes the 5-minute write price when there is no 1-hour price, else the input price', () => {
    const written = usage(
      { total: 1000, noCache: 0, cacheRead: 0, cacheWrite: 1000, cacheWrite1h: 1000 },
      {},
    );
    // 1000 * 3.75 per 1M, then 1000 * 3 per 1M.
    expect(computeCost(written, sonnet).usd).toBe('0.003750000000');
    expect(computeCost(written, { inputPerMTok: '3', outputPerMTok: '15', source: 'test' }).usd).toBe(
      '0.003000000000',
    );
  });

  it('charges every write the 5-minute price when the TTL split is unknown, and derives the uncached part', () => {
    // No noCache: 1000 - 200 read - 300 written = 500 uncached. 500*3 + 200*0.3 + 300*3.75 = 2685.
    const cost = computeCost(usage({ total: 1000, cacheRead: 200, cacheWrite: 300 }, { total: 0 }), sonnet1h);
    expect(cost.usd).toBe('0.002685000000');
    // The same with 100 of the writes for 1 hour: 500*3 + 200*0.3 + 200*3.75 + 100*6 = 2910.
    const split = usage({ total: 1000, cacheRead: 200, cacheWrite: 300, cacheWrite1h: 100 }, { total: 0 });
    expect(computeCost(split, sonnet1h).usd).toBe('0.002910000000');
  });

  it('charges web searches per 1,000 where the pricing has a price for them, and not otherwise', () => {
    // 10 in, 10 out: 10*3 + 10*15 = 180 per 1M = $0.00018; 3 searches at $10 per 1,000 = $0.03.
    const searched = usage({ total: 10, noCache: 10 }, { total: 10 }, { webSearchRequests: 3 });
    expect(computeCost(searched, sonnet1h).usd).toBe('0.030180000000');
    expect(computeCost(searched, sonnet).usd).toBe('0.000180000000');
    const unknown = usage({ total: 10, noCache: 10 }, { total: 10 }, { webSearchRequests: undefined });
    expect(computeCost(unknown, sonnet1h).usd).toBe('0.000180000000');
    // A price the integer path does not read (e-notation) goes through decimal.js, same sum.
    const odd = { ...sonnet1h, webSearchPerThousand: '1e1' };
    expect(computeCost(searched, odd).usd).toBe('0.030180000000');
  });

  it("charges 1-hour writes past the threshold at the tier's 1-hour rate, and keeps it on the row", () => {
    // 250,000 in, 50,000 of them written for 1 hour: 200,000*6 + 50,000*12 = 1,800,000 per 1M
    // = $1.80; + 1 search at $10 per 1,000 = $0.01.
    const cost = computeCost(
      usage(
        { total: 250_000, noCache: 200_000, cacheRead: 0, cacheWrite: 50_000, cacheWrite1h: 50_000 },
        { total: 0 },
        { webSearchRequests: 1 },
      ),
      sonnet1h,
    );
    expect(cost.usd).toBe('1.810000000000');
    expect(cost.pricing).toMatchObject({
      inputPerMTok: '6',
      cacheWritePerMTok: '7.5',
      cacheWrite1hPerMTok: '12',
      webSearchPerThousand: '10',
    });
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

  it('ships the 1-hour cache-write price, per tier, and the web search price from the database', () => {
    expect(catalog.get('anthropic', 'claude-sonnet-4-5')?.pricing).toMatchObject({
      cacheWritePerMTok: '3.75',
      cacheWrite1hPerMTok: '6',
      webSearchPerThousand: '10',
      tiers: [{ aboveInputTokens: 200_000, cacheWritePerMTok: '7.5', cacheWrite1hPerMTok: '12' }],
    });
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
    catalog.override({
      provider: 'local',
      id: 'llama3.2',
      cacheWrite1hPerMTok: '0.2',
      webSearchPerThousand: '5',
    });
    expect(catalog.pricing('local', 'llama3.2')).toEqual({
      inputPerMTok: '0.1',
      outputPerMTok: '0.2',
      cachedInputPerMTok: '0.05',
      cacheWrite1hPerMTok: '0.2',
      webSearchPerThousand: '5',
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
