import { computeCost } from '@aigw/ai';
import { describe, expect, it } from '@jest/globals';
import { DEMO_REQUEST_ID_PREFIX, demoSeedCatalog, demoUsageRows } from './demo-usage.js';

describe('demoUsageRows', () => {
  const now = new Date('2025-03-31T15:30:00.000Z');
  const rows = demoUsageRows({ now });

  it('is the same month for the same seed and now', () => {
    const again = demoUsageRows({ now });
    expect(again).toEqual(rows);
    expect(demoUsageRows({ now, seed: 7 })).not.toEqual(rows);
  });

  it('spreads a realistic mix over 31 days up to now: users, providers, models, streams, embeddings', () => {
    expect(rows.length).toBeGreaterThan(10_000);
    const times = rows.map((r) => (r.createdAt as Date).getTime());
    expect(Math.max(...times)).toBeLessThan(now.getTime());
    expect(Math.min(...times)).toBeGreaterThanOrEqual(Date.parse('2025-03-01T00:00:00Z'));
    expect(new Set(rows.map((r) => r.userId)).size).toBe(8);
    expect(new Set(rows.map((r) => r.provider))).toEqual(new Set(['openai', 'anthropic', 'demo']));
    expect(new Set(rows.map((r) => r.model)).size).toBeGreaterThanOrEqual(6);
    expect(rows.some((r) => r.stream && r.timeToFirstTokenMs)).toBe(true);
    expect(rows.some((r) => r.requestType === 'embedding')).toBe(true);
    expect(rows.every((r) => r.requestId.startsWith(DEMO_REQUEST_ID_PREFIX))).toBe(true);
  });

  it('fails a few percent, half of them retried as attempt 2 of the same request', () => {
    const failures = rows.filter((r) => !r.isSuccess);
    expect(failures.length / rows.length).toBeGreaterThan(0.005);
    expect(failures.length / rows.length).toBeLessThan(0.05);
    expect(failures.every((r) => r.costUsd === null && r.promptTokens === undefined && r.errorCode)).toBe(
      true,
    );
    const retried = rows.filter((r) => r.attempt === 2);
    expect(retried.length).toBeGreaterThan(0);
    const keys = new Set(rows.map((r) => `${r.requestId}/${r.attempt}`));
    expect(keys.size).toBe(rows.length);
  });

  it('prices every successful row from the catalog, exactly as the usage recorder does', () => {
    const catalog = demoSeedCatalog();
    for (const row of rows.filter((r) => r.isSuccess).slice(0, 500)) {
      const cost = computeCost(
        {
          inputTokens: {
            total: row.promptTokens as number,
            noCache: (row.promptTokens as number) - (row.cacheReadTokens as number),
            cacheRead: row.cacheReadTokens as number,
            cacheWrite: 0,
            cacheWrite1h: 0,
          },
          outputTokens: { total: row.completionTokens as number, text: undefined, reasoning: 0 },
          source: 'reported',
        },
        catalog.pricing(row.provider, row.model),
      );
      expect(row.costUsd).toBe(cost.usd);
      expect(cost.usd).not.toBeNull();
    }
  });
});
