import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { ModelCatalog } from '../catalog/model-catalog.js';
import {
  type AnthropicUsageBlock,
  convertAnthropicUsage,
  mergeAnthropicUsage,
} from '../providers/anthropic/convert-anthropic-usage.js';
import { readSseChunks } from '../testing/sse-chunks.js';
import { computeCost } from './compute-cost.js';

const fixture = (name: string) =>
  readFileSync(new URL(`../providers/anthropic/__fixtures__/${name}`, import.meta.url), 'utf8');

const message = JSON.parse(fixture('message-web-search-cache.json')) as {
  model: string;
  usage: AnthropicUsageBlock;
};

const catalog = new ModelCatalog();
catalog.addProvider({ name: 'anthropic', priceProviderId: 'anthropic' });
// The dated id the API answers with, priced through the bundled database as claude-sonnet-4-5.
const sonnet = catalog.pricing('anthropic', message.model);

// claude-sonnet-4-5 in @pydantic/genai-prices, USD per 1M tokens (searches: per 1,000).
const SONNET_BASE = {
  inputPerMTok: '3',
  cachedInputPerMTok: '0.3',
  cacheWritePerMTok: '3.75',
  cacheWrite1hPerMTok: '6',
  outputPerMTok: '15',
  webSearchPerThousand: '10',
};

// Per 1M: 100 input × $3 + 3,000 cache reads × $0.30 + 1,200 5-minute writes × $3.75
// + 800 1-hour writes × $6 + 50 output × $15 = 300 + 900 + 4,500 + 4,800 + 750 = 11,250
// → $0.01125; + 3 searches × $10 / 1,000 = $0.03; total $0.04125. (The 1-hour writes at
// the 5-minute rate would give $0.03945; no search price, $0.01125.)
const FIXTURE_USD = '0.041250000000';

describe('pricing Anthropic usage from the wire (golden, claude-sonnet-4-5 database prices)', () => {
  it('prices 5-minute and 1-hour cache writes, cache reads and web searches each at its own rate', () => {
    const usage = convertAnthropicUsage(message.usage);
    expect(usage.inputTokens).toEqual({
      total: 5100,
      noCache: 100,
      cacheRead: 3000,
      cacheWrite: 2000,
      cacheWrite1h: 800,
    });
    expect(usage.serverTools).toEqual({ webSearchRequests: 3 });
    expect(sonnet).toMatchObject({ ...SONNET_BASE, source: 'genai-prices' });

    const cost = computeCost(usage, sonnet);
    expect(cost).toMatchObject({ usd: FIXTURE_USD, status: 'priced' });
    // The row keeps every rate it used.
    expect(cost.pricing).toMatchObject(SONNET_BASE);
  });

  it('prices a stream the same once message_start and message_delta usage are merged', () => {
    const blocks = readSseChunks(fixture('stream-web-search-cache.chunks.txt'))
      .map((chunk) => JSON.parse(chunk.slice(chunk.indexOf('data: ') + 6)))
      .flatMap((event): AnthropicUsageBlock[] =>
        event.type === 'message_start'
          ? [event.message.usage]
          : event.type === 'message_delta'
            ? [event.usage]
            : [],
      );
    expect(blocks).toHaveLength(2);
    // message_start has the TTL split and no searches yet; message_delta the cumulative searches.
    const merged = blocks.reduce<AnthropicUsageBlock | undefined>(mergeAnthropicUsage, undefined);
    expect(merged).toMatchObject({
      output_tokens: 50,
      cache_creation: { ephemeral_5m_input_tokens: 1200, ephemeral_1h_input_tokens: 800 },
      server_tool_use: { web_search_requests: 3, web_fetch_requests: 0 },
    });
    expect(computeCost(convertAnthropicUsage(merged), sonnet).usd).toBe(FIXTURE_USD);
  });

  it('prices a call past 200k input tokens at the tier, 1-hour writes at the tier 1-hour rate', () => {
    const usage = convertAnthropicUsage({
      ...message.usage,
      input_tokens: 150_000,
      cache_read_input_tokens: 40_000,
      cache_creation_input_tokens: 30_000,
      cache_creation: { ephemeral_5m_input_tokens: 10_000, ephemeral_1h_input_tokens: 20_000 },
      output_tokens: 1000,
      server_tool_use: { web_search_requests: 2, web_fetch_requests: 0 },
    });
    expect(usage.inputTokens.total).toBe(220_000);
    const cost = computeCost(usage, sonnet);
    // Tier prices: input $6, reads $0.60, 5-minute writes $7.50, 1-hour writes $12, output $22.50.
    // Per 1M: 150,000 × 6 + 40,000 × 0.6 + 10,000 × 7.5 + 20,000 × 12 + 1,000 × 22.5
    // = 900,000 + 24,000 + 75,000 + 240,000 + 22,500 = 1,261,500 → $1.2615;
    // + 2 searches × $10 / 1,000 = $0.02; total $1.2815. (1-hour writes at the tier's
    // 5-minute rate: $1.1915; at the base 1-hour rate: $1.1615.)
    expect(cost.usd).toBe('1.281500000000');
    expect(cost.pricing).toMatchObject({
      inputPerMTok: '6',
      cachedInputPerMTok: '0.6',
      cacheWritePerMTok: '7.5',
      cacheWrite1hPerMTok: '12',
      outputPerMTok: '22.5',
      webSearchPerThousand: '10',
      source: 'genai-prices (above 200000 input tokens)',
    });
  });
});
