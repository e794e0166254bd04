import { randomUUID } from 'node:crypto';
import { AiRuntime } from '@aigw/ai';
import { createTestDatabase, type TestDatabase } from '@aigw/db/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DatabaseService } from '../src/database/database.service.js';
import { ApiKeysService } from '../src/keys/api-keys.service.js';
import { adminFetch, expectOpenAIError } from './support/admin-api.js';
import { startGateway } from './support/gateway.js';
import { type RunningApp, startApp, TEST_ADMIN_KEY } from './support/start-app.js';
import { usageRow } from './support/usage-rows.js';

const FROM = '2025-05-01T00:00:00.000Z';
const TO = '2025-05-08T00:00:00.000Z';
const at = (day: number, minute = 0) => new Date(Date.parse(FROM) + day * 86_400_000 + minute * 60_000);

interface Reliability {
  requests: number;
  failures: number;
  failureRate: number | null;
  latencyMs: { p50: number | null; p95: number | null };
  timeToFirstTokenMs: { p50: number | null; p95: number | null };
}

describe('the admin API behind the dashboard', () => {
  let testDb: TestDatabase;
  let running: RunningApp;
  let url: string;
  let budgetedKeyId: string;

  beforeAll(async () => {
    testDb = await createTestDatabase();
    // No provider key: the demo provider stands in.
    running = await startApp({ DATABASE_URL: testDb.url });
    url = running.url;
    const keys = running.app.get(ApiKeysService);
    const budgeted = await keys.create({ userId: 'alice', budgetUsd: '10' });
    budgetedKeyId = budgeted.id;
    await keys.create({ userId: 'alice', name: 'no cap' });
    const revoked = await keys.create({ userId: 'alice', budgetUsd: '100' });
    await keys.revoke(revoked.id);
    const row = (
      input: Parameters<typeof usageRow>[0] & { latencyMs?: number; ttft?: number; apiKeyId?: string },
    ) => {
      const { latencyMs, ttft, apiKeyId, ...rest } = input;
      return {
        ...usageRow(rest),
        latencyMs: latencyMs ?? 100,
        timeToFirstTokenMs: ttft ?? null,
        apiKeyId: apiKeyId ?? null,
      };
    };
    await running.app.get(DatabaseService).prisma.aIUsageLog.createMany({
      data: [
        // Provider a: four successes (latencies 100..400, two streams) and one slow failure.
        ...[100, 200, 300, 400].map((latencyMs, i) =>
          row({
            userId: 'alice',
            provider: 'a',
            model: 'm1',
            createdAt: at(i),
            latencyMs,
            ttft: i < 2 ? 50 * (i + 1) : undefined,
            promptTokens: 10,
            completionTokens: 5,
            totalTokens: 15,
            costUsd: '0.500000000000',
            apiKeyId: budgetedKeyId,
          }),
        ),
        row({
          userId: 'bob',
          provider: 'a',
          model: 'm1',
          createdAt: at(4),
          latencyMs: 5000,
          isSuccess: false,
        }),
        // Provider b: bob costs the most in the range.
        row({
          userId: 'bob',
          provider: 'b',
          model: 'm2',
          createdAt: at(5),
          latencyMs: 1000,
          promptTokens: 1,
          completionTokens: 1,
          totalTokens: 2,
          costUsd: '3.000000000001',
        }),
        // Before the range: counts for alice's all-time budget spend, not for the range.
        row({
          userId: 'alice',
          provider: 'a',
          model: 'm1',
          createdAt: new Date('2025-04-01T00:00:00Z'),
          costUsd: '0.500000000000',
          apiKeyId: budgetedKeyId,
        }),
        row({ userId: '=cmd|x', provider: 'b', model: 'm,2', createdAt: at(6), costUsd: '0.000000000001' }),
      ],
    });
  });
  afterAll(async () => {
    await running?.close();
    await testDb?.drop();
  });

  describe('GET /admin/usage/providers', () => {
    it('answers per provider (configured or seen) failure rate, p50/p95 latency of successes, TTFT and breaker', async () => {
      const res = await adminFetch<{
        providers: (Reliability & Record<string, unknown>)[];
        totals: Reliability;
      }>(url, `/admin/usage/providers?from=${FROM}&to=${TO}`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        from: FROM,
        to: TO,
        providers: [
          {
            provider: 'a',
            configured: false,
            displayName: null,
            type: null,
            demo: false,
            breaker: null,
            requests: 5,
            failures: 1,
            failureRate: 0.2,
            // percentile_cont over 100, 200, 300, 400: the failure's 5000 ms is left out.
            latencyMs: { p50: 250, p95: 385 },
            timeToFirstTokenMs: { p50: 75, p95: 98 },
          },
          {
            provider: 'b',
            configured: false,
            displayName: null,
            type: null,
            demo: false,
            breaker: null,
            requests: 2,
            failures: 0,
            failureRate: 0,
            latencyMs: { p50: 550, p95: 955 },
            timeToFirstTokenMs: { p50: null, p95: null },
          },
          {
            provider: 'demo',
            configured: true,
            displayName: 'Demo (local, no model)',
            type: 'demo',
            demo: true,
            breaker: 'closed',
            requests: 0,
            failures: 0,
            failureRate: null,
            latencyMs: { p50: null, p95: null },
            timeToFirstTokenMs: { p50: null, p95: null },
          },
        ],
        totals: {
          requests: 7,
          failures: 1,
          failureRate: 0.1429,
          // Successes: 100, 100, 200, 300, 400, 1000.
          latencyMs: { p50: 250, p95: 850 },
          timeToFirstTokenMs: { p50: 75, p95: 98 },
        },
      });
    });

    it('refuses a bad range and a missing admin key', async () => {
      expectOpenAIError(await adminFetch(url, `/admin/usage/providers?from=${TO}&to=${FROM}`), 400);
      expectOpenAIError(await adminFetch(url, '/admin/usage/providers?groupBy=user'), 400);
      expectOpenAIError(await adminFetch(url, '/admin/usage/providers', { auth: null }), 401);
    });
  });

  describe('GET /admin/usage/users', () => {
    it("ranks users by cost with the summary's own numbers, and budgets of their active keys (all-time spend)", async () => {
      const res = await adminFetch<{ totalUsers: number; rows: Record<string, unknown>[] }>(
        url,
        `/admin/usage/users?from=${FROM}&to=${TO}`,
      );
      const summary = await adminFetch<{ rows: Record<string, unknown>[] }>(
        url,
        `/admin/usage/summary?from=${FROM}&to=${TO}&groupBy=user`,
      );
      expect(res.status).toBe(200);
      expect(res.body.totalUsers).toBe(3);
      expect(res.body.rows.map((r) => r.userId)).toEqual(['bob', 'alice', '=cmd|x']);
      for (const row of res.body.rows) {
        const { activeKeys: _k, budget: _b, ...measures } = row;
        expect(summary.body.rows).toContainEqual(measures);
      }
      expect(res.body.rows[1]).toMatchObject({
        userId: 'alice',
        costUsd: '2.000000000000',
        activeKeys: 2,
        budget: {
          budgetUsd: '10.000000000000',
          spentUsd: '2.500000000000',
          used: 0.25,
          budgetedKeys: 1,
          unbudgetedKeys: 1,
        },
      });
      expect(res.body.rows[0]).toMatchObject({ userId: 'bob', activeKeys: 0, budget: null });
    });

    it('lists at most limit users', async () => {
      const res = await adminFetch<{ totalUsers: number; rows: unknown[] }>(
        url,
        `/admin/usage/users?from=${FROM}&to=${TO}&limit=1`,
      );
      expect(res.body.rows).toHaveLength(1);
      expect(res.body.totalUsers).toBe(3);
      expectOpenAIError(await adminFetch(url, '/admin/usage/users?limit=0'), 400);
      expectOpenAIError(await adminFetch(url, '/admin/usage/users?limit=101'), 400);
    });
  });

  describe('GET /admin/usage/summary?format=csv', () => {
    const csv = async (query: string) => {
      const res = await fetch(`${url}/admin/usage/summary?${query}`, {
        headers: { authorization: `Bearer ${TEST_ADMIN_KEY}` },
      });
      return { status: res.status, headers: res.headers, text: await res.text() };
    };

    it("is the summary's rows, digit for digit, as a CSV download", async () => {
      const res = await csv(`from=${FROM}&to=${TO}&groupBy=provider,user&format=csv`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(res.headers.get('content-disposition')).toBe(
        'attachment; filename="aigw-usage_2025-05-01T000000Z_2025-05-08T000000Z.csv"',
      );
      const json = await adminFetch<{ rows: Record<string, string | number>[] }>(
        url,
        `/admin/usage/summary?from=${FROM}&to=${TO}&groupBy=provider,user`,
      );
      const lines = res.text.trimEnd().split('\r\n');
      expect(lines[0]).toBe(
        'userId,provider,requests,failures,promptTokens,completionTokens,totalTokens,costUsd,unpricedRequests',
      );
      expect(lines).toHaveLength(json.body.rows.length + 1);
      const quote = (v: string | number) => {
        const text = /^[=+\-@]/.test(String(v)) ? `'${v}` : String(v);
        return /[",]/.test(text) ? `"${text}"` : text;
      };
      json.body.rows.forEach((row, i) => {
        const cells = [row.userId, row.provider, row.requests, row.failures, row.promptTokens]
          .concat([row.completionTokens, row.totalTokens, row.costUsd, row.unpricedRequests])
          .map((v) => quote(v as string | number));
        expect(lines[i + 1]).toBe(cells.join(','));
      });
      // A user id a spreadsheet would run as a formula is defused.
      expect(res.text).toContain("'=cmd|x,b,1,");
    });

    it('quotes fields with commas, gives the totals without groupBy, and refuses an unknown format', async () => {
      const models = await csv(`from=${FROM}&to=${TO}&groupBy=model&format=csv`);
      expect(models.text).toContain('"m,2",1,');
      const totals = await csv(`from=${FROM}&to=${TO}&format=csv`);
      expect(totals.text).toBe(
        'requests,failures,promptTokens,completionTokens,totalTokens,costUsd,unpricedRequests\r\n7,1,41,21,62,5.000000000002,1\r\n',
      );
      expectOpenAIError(await adminFetch(url, `/admin/usage/summary?format=xml`), 400);
      const json = await adminFetch(url, `/admin/usage/summary?from=${FROM}&to=${TO}&format=json`);
      expect(json.status).toBe(200);
    });
  });

  describe('PATCH /admin/keys/:id', () => {
    const patch = (id: string, json: unknown) =>
      adminFetch<Record<string, unknown>>(url, `/admin/keys/${id}`, { method: 'PATCH', json });
    const chat = (key: string) =>
      fetch(`${url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'demo/demo-chat', messages: [{ role: 'user', content: 'hi' }] }),
      });

    it('changes the name, budget and rpm limit; null removes them; absent fields stay', async () => {
      const created = await adminFetch<{ id: string }>(url, '/admin/keys', {
        method: 'POST',
        json: { userId: 'carol', name: 'first', budgetUsd: '5', rpmLimit: 10 },
      });
      const id = created.body.id;
      const changed = await patch(id, { budgetUsd: '7.25', rpmLimit: 20 });
      expect(changed.status).toBe(200);
      expect(changed.body).toMatchObject({
        id,
        userId: 'carol',
        name: 'first',
        budgetUsd: '7.25',
        rpmLimit: 20,
      });
      expect(changed.body).not.toHaveProperty('key');
      const cleared = await patch(id, { name: null, budgetUsd: null, rpmLimit: null });
      expect(cleared.body).toMatchObject({ name: null, budgetUsd: null, rpmLimit: null });
      const listed = await adminFetch<{ data: Record<string, unknown>[] }>(url, '/admin/keys');
      expect(listed.body.data.find((k) => k.id === id)).toMatchObject({
        name: null,
        budgetUsd: null,
        rpmLimit: null,
      });
    });

    it('applies a new limit from the next request', async () => {
      const created = await adminFetch<{ id: string; key: string }>(url, '/admin/keys', {
        method: 'POST',
        json: { userId: 'dave' },
      });
      expect((await chat(created.body.key)).status).toBe(200);
      await patch(created.body.id, { rpmLimit: 1 });
      expect((await chat(created.body.key)).status).toBe(200);
      expect((await chat(created.body.key)).status).toBe(429);
      await patch(created.body.id, { rpmLimit: null, budgetUsd: '0.000000000001' });
      expect((await chat(created.body.key)).status).toBe(402);
    });

    it('refuses an empty change, unknown fields, a revoked key and an unknown id', async () => {
      expectOpenAIError(await patch(budgetedKeyId, {}), 400);
      expectOpenAIError(await patch(budgetedKeyId, { userId: 'mallory' }), 400);
      expectOpenAIError(await patch(budgetedKeyId, { rpmLimit: 0 }), 400);
      expectOpenAIError(await patch(budgetedKeyId, { budgetUsd: '-1' }), 400);
      const revoked = await adminFetch<{ id: string }>(url, '/admin/keys', {
        method: 'POST',
        json: { userId: 'eve' },
      });
      await adminFetch(url, `/admin/keys/${revoked.body.id}`, { method: 'DELETE' });
      expect(expectOpenAIError(await patch(revoked.body.id, { rpmLimit: 5 }), 409)).toMatch(/revoked/);
      expectOpenAIError(await patch(randomUUID(), { rpmLimit: 5 }), 404);
      expectOpenAIError(
        await adminFetch(url, `/admin/keys/${budgetedKeyId}`, {
          method: 'PATCH',
          json: { rpmLimit: 5 },
          auth: null,
        }),
        401,
      );
    });
  });

  it('documents the new routes in /docs', async () => {
    const doc = (await (await fetch(`${url}/docs/json`)).json()) as {
      paths: Record<string, Record<string, { parameters?: { name: string }[] }>>;
    };
    expect(doc.paths['/admin/usage/providers']?.get).toBeDefined();
    expect(doc.paths['/admin/usage/users']?.get?.parameters?.map((p) => p.name)).toEqual([
      'from',
      'to',
      'limit',
    ]);
    expect(doc.paths['/admin/keys/{id}']?.patch).toBeDefined();
    expect(doc.paths['/admin/usage/summary']?.get?.parameters?.map((p) => p.name)).toContain('format');
  });

  describe('the demo provider on a first run', () => {
    it('says at start that no provider is configured, which variables to set, and that the demo is on', () => {
      const line = running.logs.lines
        .map((l) => JSON.parse(l) as { msg?: string; level?: number })
        .find((l) => /demo provider is on/.test(l.msg ?? ''));
      expect(line?.level).toBe(40);
      for (const name of [
        'OPENAI_API_KEY',
        'ANTHROPIC_API_KEY',
        'GEMINI_API_KEY',
        'OLLAMA_BASE_URL',
        'AI_CONFIG',
        'AI_DEMO_PROVIDER=false',
      ])
        expect(line?.msg).toContain(name);
    });

    it('is marked as demo in /v1/models, with its own prices, and its calls are recorded and priced', async () => {
      const key = await running.app.get(ApiKeysService).create({ userId: 'newcomer' });
      const models = await fetch(`${url}/v1/models`, { headers: { authorization: `Bearer ${key.key}` } });
      const body = (await models.json()) as { data: Record<string, unknown>[] };
      expect(body.data.map((m) => m.id)).toEqual(['demo/demo-chat', 'demo/demo-embed']);
      expect(body.data[0]).toMatchObject({
        owned_by: 'aigw-demo',
        provider: 'demo',
        demo: true,
        pricing: { input_per_mtok: '0.5', output_per_mtok: '1.5', source: 'demo' },
      });
      const res = await fetch(`${url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key.key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'demo/demo-chat', messages: [{ role: 'user', content: 'Hello' }] }),
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('x-aigw-provider')).toBe('demo');
      await running.app.get(AiRuntime).writer?.flush();
      const logs = await adminFetch<{ items: Record<string, unknown>[] }>(
        url,
        '/admin/usage/logs?userId=newcomer',
      );
      expect(logs.body.items).toHaveLength(1);
      expect(logs.body.items[0]).toMatchObject({
        provider: 'demo',
        model: 'demo-chat',
        usageSource: 'reported',
        isSuccess: true,
      });
      expect(Number(logs.body.items[0]?.costUsd)).toBeGreaterThan(0);
    });
  });
});

describe('AI_DEMO_PROVIDER=true beside real providers', () => {
  it('lists the demo models next to the real ones', async () => {
    const gateway = await startGateway({ AI_DEMO_PROVIDER: 'true' });
    try {
      const { key } = await gateway.issueKey('someone');
      const res = await fetch(`${gateway.url}/v1/models`, { headers: { authorization: `Bearer ${key}` } });
      const body = (await res.json()) as { data: { id: string; demo?: boolean; owned_by: string }[] };
      const demo = body.data.filter((m) => m.demo);
      expect(demo.map((m) => m.id)).toEqual(['demo/demo-chat', 'demo/demo-embed']);
      expect(body.data.some((m) => m.id.startsWith('openai/') && m.owned_by === 'openai' && !m.demo)).toBe(
        true,
      );
      expect(gateway.running.logs.text).not.toMatch(/demo provider is on/);
    } finally {
      await gateway.close();
    }
  });
});
