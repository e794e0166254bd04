import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { convertAnthropicUsage, mergeAnthropicUsage } from './convert-anthropic-usage.js';

const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8')) as { usage: never };

describe('convertAnthropicUsage', () => {
  it('adds cache reads and writes to input_tokens for the total input (golden)', () => {
    const { usage } = fixture('message-text.json');
    expect(convertAnthropicUsage(usage)).toEqual({
      inputTokens: {
        total: 14 + 2304 + 2051,
        noCache: 14,
        cacheRead: 2304,
        cacheWrite: 2051,
        cacheWrite1h: 0,
      },
      outputTokens: { total: 11, text: 11, reasoning: 0 },
      source: 'reported',
      raw: usage,
    });
  });

  it('keeps null cache counts unknown, never zero, and splits out thinking tokens (golden)', () => {
    const { usage } = fixture('message-thinking-tool-use.json');
    expect(convertAnthropicUsage(usage)).toEqual({
      inputTokens: {
        total: 412,
        noCache: 412,
        cacheRead: undefined,
        cacheWrite: undefined,
        cacheWrite1h: undefined,
      },
      outputTokens: { total: 180, text: 68, reasoning: 112 },
      source: 'reported',
      raw: usage,
    });
  });

  it('reads the 1-hour part of the cache writes and the web searches (golden)', () => {
    const { usage } = fixture('message-web-search-cache.json');
    expect(convertAnthropicUsage(usage)).toEqual({
      inputTokens: {
        total: 100 + 3000 + 2000,
        noCache: 100,
        cacheRead: 3000,
        cacheWrite: 2000,
        cacheWrite1h: 800,
      },
      outputTokens: { total: 50, text: 50, reasoning: 0 },
      serverTools: { webSearchRequests: 3 },
      source: 'reported',
      raw: usage,
    });
  });

  it('keeps a null web search count unknown, and reports no server tools when the block is null', () => {
    const usage = { input_tokens: 5, output_tokens: 1, server_tool_use: { web_search_requests: null } };
    expect(convertAnthropicUsage(usage).serverTools).toEqual({ webSearchRequests: undefined });
    expect(convertAnthropicUsage({ ...usage, server_tool_use: null })).not.toHaveProperty('serverTools');
  });

  it('leaves the input total unknown when input_tokens is, and output counts when absent', () => {
    const usage = { input_tokens: null, cache_read_input_tokens: 50, output_tokens_details: null };
    expect(convertAnthropicUsage(usage)).toEqual({
      inputTokens: {
        total: undefined,
        noCache: undefined,
        cacheRead: 50,
        cacheWrite: undefined,
        cacheWrite1h: undefined,
      },
      outputTokens: { total: undefined, text: undefined, reasoning: undefined },
      source: 'reported',
      raw: usage,
    });
  });

  it('reports no usage as unknown', () => {
    expect(convertAnthropicUsage(undefined).source).toBe('unknown');
    expect(convertAnthropicUsage(null).inputTokens.total).toBeUndefined();
  });
});

describe('mergeAnthropicUsage', () => {
  const start = {
    input_tokens: 472,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: 1800,
    output_tokens: 2,
    service_tier: 'standard',
  };

  it('takes the cumulative output_tokens of message_delta and keeps the input counts of message_start', () => {
    const delta = {
      input_tokens: null,
      cache_creation_input_tokens: null,
      cache_read_input_tokens: null,
      output_tokens: 89,
      output_tokens_details: null,
    };
    const merged = mergeAnthropicUsage(mergeAnthropicUsage(undefined, start), delta);
    expect(merged).toEqual({ ...start, output_tokens: 89, output_tokens_details: null });
    expect(convertAnthropicUsage(merged)).toMatchObject({
      inputTokens: { total: 2272, noCache: 472, cacheRead: 1800, cacheWrite: 0 },
      outputTokens: { total: 89, reasoning: undefined },
    });
  });

  it('lets later non-null values win when message_delta repeats the input counts', () => {
    const delta = { input_tokens: 480, cache_read_input_tokens: 1800, output_tokens: 90 };
    expect(mergeAnthropicUsage(start, delta)).toMatchObject({ input_tokens: 480, output_tokens: 90 });
  });

  it('merges cache_creation and server_tool_use field by field, later non-null values winning', () => {
    const first = {
      ...start,
      cache_creation: { ephemeral_5m_input_tokens: 1200, ephemeral_1h_input_tokens: 800 },
      server_tool_use: { web_search_requests: 1, web_fetch_requests: 0 },
    };
    const delta = {
      output_tokens: 90,
      cache_creation: { ephemeral_5m_input_tokens: null, ephemeral_1h_input_tokens: 800 },
      server_tool_use: { web_search_requests: 3, web_fetch_requests: null },
    };
    const merged = mergeAnthropicUsage(first, delta);
    expect(merged).toMatchObject({
      cache_creation: { ephemeral_5m_input_tokens: 1200, ephemeral_1h_input_tokens: 800 },
      server_tool_use: { web_search_requests: 3, web_fetch_requests: 0 },
    });
    // A null object keeps the earlier one; a later object replaces an earlier null.
    const nulls = { cache_creation: null, server_tool_use: null };
    expect(mergeAnthropicUsage(merged, nulls)).toEqual(merged);
    expect(mergeAnthropicUsage({ ...start, ...nulls }, delta)).toMatchObject({
      cache_creation: { ephemeral_5m_input_tokens: null, ephemeral_1h_input_tokens: 800 },
      server_tool_use: { web_search_requests: 3, web_fetch_requests: null },
    });
    expect(first.server_tool_use).toEqual({ web_search_requests: 1, web_fetch_requests: 0 });
  });

  it('returns the earlier block when there is nothing new', () => {
    expect(mergeAnthropicUsage(start, undefined)).toBe(start);
    expect(mergeAnthropicUsage(undefined, null)).toBeUndefined();
  });
});
