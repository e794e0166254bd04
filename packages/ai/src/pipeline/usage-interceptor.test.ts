import { describe, expect, it } from '@jest/globals';
import { ModelCatalog } from '../catalog/model-catalog.js';
import { convertAnthropicUsage } from '../providers/anthropic/convert-anthropic-usage.js';
import type { IAIProvider } from '../types/ai-provider.js';
import type { ChatResult } from '../types/chat-result.js';
import type { TokenUsage } from '../types/token-usage.js';
import type { UsageRecord } from '../usage/usage-record.js';
import type { CallInfo } from './call-interceptor.js';
import { UsageInterceptor } from './usage-interceptor.js';

const catalog = new ModelCatalog();
catalog.addProvider({ name: 'anthropic', priceProviderId: 'anthropic' });

async function recordOf(usage: TokenUsage): Promise<UsageRecord> {
  const rows: UsageRecord[] = [];
  const call: CallInfo = {
    requestId: 'req-1',
    attempt: 1,
    context: { userId: 'u', metadata: { feature: 'search' } },
    requestedModel: 'anthropic/claude-sonnet-4-5',
    provider: { name: 'anthropic' } as IAIProvider,
    model: 'claude-sonnet-4-5',
    requestType: 'chat',
    stream: false,
    startedAt: Date.now(),
  };
  const result = { text: 'ok', toolCalls: [], usage } as unknown as ChatResult;
  await new UsageInterceptor({ enqueue: (row) => rows.push(row) }, catalog).wrapChat(
    call,
    { model: 'claude-sonnet-4-5', messages: [] },
    async () => result,
  );
  return rows[0] as UsageRecord;
}

describe('UsageInterceptor rows', () => {
  it('keeps the 1-hour writes and web searches on metadata.usage, and every rate used on pricing', async () => {
    const row = await recordOf(
      convertAnthropicUsage({
        input_tokens: 100,
        cache_read_input_tokens: 3000,
        cache_creation_input_tokens: 2000,
        cache_creation: { ephemeral_5m_input_tokens: 1200, ephemeral_1h_input_tokens: 800 },
        output_tokens: 50,
        server_tool_use: { web_search_requests: 3, web_fetch_requests: 0 },
      }),
    );
    expect(row.metadata).toEqual({
      feature: 'search',
      usage: { cacheWrite1hTokens: 800, webSearchRequests: 3 },
    });
    expect(row.cacheWriteTokens).toBe(2000);
    // As in src/cost/anthropic-cost-golden.test.ts.
    expect(row.costUsd).toBe('0.041250000000');
    expect(row.pricing).toMatchObject({ cacheWrite1hPerMTok: '6', webSearchPerThousand: '10' });
  });

  it('adds no metadata.usage when the split is zero or unknown', async () => {
    const zero = convertAnthropicUsage({
      input_tokens: 10,
      cache_creation_input_tokens: 5,
      cache_creation: { ephemeral_5m_input_tokens: 5, ephemeral_1h_input_tokens: 0 },
      output_tokens: 1,
      server_tool_use: { web_search_requests: 0, web_fetch_requests: 0 },
    });
    expect((await recordOf(zero)).metadata).toEqual({ feature: 'search' });
    const unknown = convertAnthropicUsage({ input_tokens: 10, output_tokens: 1 });
    expect((await recordOf(unknown)).metadata).toEqual({ feature: 'search' });
  });
});
