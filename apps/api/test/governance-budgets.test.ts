import { randomUUID } from 'node:crypto';
import { RedisLimitStore } from '@aigw/ai';
import { openAIFake } from '@aigw/ai/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Decimal } from 'decimal.js';
import { DatabaseService } from '../src/database/database.service.js';
import { adminCreate, adminFetch } from './support/admin-api.js';
import { type Gateway, startGateway } from './support/gateway.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

// gpt-4o: $2.50 / $10 per 1M tokens. A call with max_tokens 16000 may cost $0.16..., and
// writes 12000 tokens: $0.1200525 with 21 prompt tokens.
const CALL_USD = '0.1200525';
const usage = (prompt: number, completion: number) => ({
  prompt_tokens: prompt,
  completion_tokens: completion,
  total_tokens: prompt + completion,
});

interface ChatReply {
  status: number;
  headers: Headers;
  body: { error?: { message: string; code: string; budget?: Record<string, unknown> } };
}

async function chat(url: string, key: string, body: Record<string, unknown> = {}): Promise<ChatReply> {
  const res = await fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      model: 'gpt-4o',
      max_tokens: 16_000,
      messages: [{ role: 'user', content: 'Hi' }],
      ...body,
    }),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as ChatReply['body'] };
}

async function spentBy(gateway: Gateway, where: { teamId?: string; userId?: string }): Promise<Decimal> {
  await gateway.flushUsage();
  const sum = await gateway.running.app
    .get(DatabaseService)
    .prisma.aIUsageLog.aggregate({ where, _sum: { costUsd: true } });
  return new Decimal(sum._sum.costUsd?.toFixed() ?? '0');
}

describe('budgets with periods at key, user and team level (a controllable clock)', () => {
  let gateway: Gateway;
  // Mid-January 2031 (UTC); the tests move it.
  let now = Date.parse('2031-01-15T12:00:00Z');

  beforeAll(async () => {
    gateway = await startGateway({}, { clock: () => now });
    gateway.openai.handler = openAIFake({ usage: usage(21, 12_000) });
  });
  afterAll(() => gateway?.close());

  it('refuses the call that would pass a monthly team budget, names the budget, and resets at the next month', async () => {
    const team = await adminCreate<{ id: string; name: string }>(gateway.url, '/admin/teams', {
      name: `research-${randomUUID().slice(0, 8)}`,
      budgets: [{ amountUsd: '0.5', period: 'monthly' }],
    });
    const { key } = await adminCreate<{ id: string; key: string }>(gateway.url, '/admin/keys', {
      userId: 'rosa',
      teamId: team.id,
    });
    const statuses: number[] = [];
    let refused: ChatReply | undefined;
    for (let i = 0; i < 6 && !refused; i++) {
      const reply = await chat(gateway.url, key);
      statuses.push(reply.status);
      if (reply.status !== 200) refused = reply;
    }
    // 3 x $0.1200525 = $0.3601575 spent: a 4th call could cost over $0.16, past $0.50.
    expect(statuses).toEqual([200, 200, 200, 402]);
    expect(refused?.body.error).toMatchObject({
      code: 'budget_exceeded',
      type: 'insufficient_quota',
      budget: {
        scope: 'team',
        id: team.id,
        name: team.name,
        period: 'monthly',
        amountUsd: '0.5',
        spentUsd: '0.3601575',
        resetsAt: '2031-02-01T00:00:00.000Z',
      },
    });
    expect(refused?.body.error?.message).toMatch(
      new RegExp(
        `^Budget exceeded for team "${team.name}": its monthly budget is \\$0\\.5, \\$0\\.3601575 is spent this period, .* It resets at 2031-02-01T00:00:00\\.000Z\\. `,
      ),
    );
    // Every row is charged to the team.
    expect((await spentBy(gateway, { teamId: team.id })).toFixed()).toBe('0.3601575');
    // The budget holds on every route that costs money, each in its own format.
    const post = (path: string, body: unknown) =>
      fetch(`${gateway.url}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const messages = await post('/v1/messages', {
      model: 'claude-sonnet-4-5',
      max_tokens: 16_000,
      messages: [{ role: 'user', content: 'Hi' }],
    });
    expect(messages.status).toBe(402);
    expect(await messages.json()).toMatchObject({
      type: 'error',
      error: { type: 'billing_error', budget: { scope: 'team', period: 'monthly' } },
    });
    const responses = await post('/v1/responses', {
      model: 'gpt-4o',
      max_output_tokens: 16_000,
      input: 'Hi',
    });
    expect(responses.status).toBe(402);
    expect(await responses.json()).toMatchObject({ error: { code: 'budget_exceeded' } });

    // The admin API shows the same spend against the budget.
    const shown = await adminFetch<{ spend: Record<string, unknown>[] }>(
      gateway.url,
      `/admin/teams/${team.id}`,
    );
    expect(shown.status).toBe(200);
    expect(shown.body.spend).toEqual([
      expect.objectContaining({
        scope: 'team',
        period: 'monthly',
        amountUsd: '0.5',
        spentUsd: '0.3601575',
        periodStart: '2031-01-01T00:00:00.000Z',
        resetsAt: '2031-02-01T00:00:00.000Z',
        state: 'ok',
      }),
    ]);

    // Still January: still refused. February: a new period, the call goes through.
    now = Date.parse('2031-01-31T23:59:59Z');
    expect((await chat(gateway.url, key)).status).toBe(402);
    now = Date.parse('2031-02-01T00:00:01Z');
    expect((await chat(gateway.url, key)).status).toBe(200);
    const february = await adminFetch<{ spend: { spentUsd: string; resetsAt: string }[] }>(
      gateway.url,
      `/admin/teams/${team.id}`,
    );
    expect(february.body.spend[0]).toMatchObject({
      spentUsd: CALL_USD,
      resetsAt: '2031-03-01T00:00:00.000Z',
    });
  });

  it("charges every key of a user to the user's daily budget, and of a team member to the team", async () => {
    now = Date.parse('2031-03-10T08:00:00Z');
    const userId = `uma-${randomUUID().slice(0, 8)}`;
    const put = await adminFetch<{ budgets: unknown[] }>(gateway.url, `/admin/users/${userId}`, {
      method: 'PUT',
      json: { budgets: [{ amountUsd: 0.3, period: 'daily', alertThresholds: [50, 0.9] }] },
    });
    expect(put.status).toBe(200);
    expect(put.body.budgets).toEqual([{ amountUsd: '0.3', period: 'daily', alertThresholds: [0.5, 0.9] }]);
    const [a, b] = [
      await adminCreate<{ id: string; key: string }>(gateway.url, '/admin/keys', { userId }),
      await adminCreate<{ id: string; key: string }>(gateway.url, '/admin/keys', { userId }),
    ];
    expect((await chat(gateway.url, a.key)).status).toBe(200);
    // $0.12 spent by key a; key b's call may cost $0.16 more: $0.28 still fits the user's $0.30.
    expect((await chat(gateway.url, b.key)).status).toBe(200);
    // $0.24 spent by the two keys: a third call could pass $0.30.
    const third = await chat(gateway.url, a.key);
    expect(third.status).toBe(402);
    expect(third.body.error?.budget).toMatchObject({ scope: 'user', id: userId, period: 'daily' });
    expect(third.body.error?.message).toMatch(/It resets at 2031-03-11T00:00:00\.000Z\./);
    const user = await adminFetch<{ spend: { spentUsd: string; state: string }[] }>(
      gateway.url,
      `/admin/users/${userId}`,
    );
    expect(user.body.spend).toEqual([expect.objectContaining({ spentUsd: '0.240105', state: 'alert' })]);
    // The next day the user's budget starts again.
    now = Date.parse('2031-03-11T00:00:01Z');
    expect((await chat(gateway.url, b.key)).status).toBe(200);
  });

  it('issues a key naming no team to the team of its user, when the user is in exactly one', async () => {
    const userId = `mia-${randomUUID().slice(0, 8)}`;
    const team = await adminCreate<{ id: string; name: string }>(gateway.url, '/admin/teams', {
      name: `ops-${randomUUID().slice(0, 8)}`,
      members: [userId],
      budgets: [{ amountUsd: '0.2', period: 'weekly' }],
    });
    const { key } = await adminCreate<{ id: string; key: string }>(gateway.url, '/admin/keys', { userId });
    expect((await chat(gateway.url, key)).status).toBe(200);
    const refused = await chat(gateway.url, key);
    expect(refused.status).toBe(402);
    expect(refused.body.error?.budget).toMatchObject({ scope: 'team', id: team.id, period: 'weekly' });
    expect((await spentBy(gateway, { teamId: team.id })).toFixed()).toBe(CALL_USD);
  });

  it('holds for embeddings too', async () => {
    // text-embedding-3-small: $0.02 per 1M tokens; a dozen tokens cost more than $0.0000001.
    const team = await adminCreate<{ id: string; name: string }>(gateway.url, '/admin/teams', {
      name: `vectors-${randomUUID().slice(0, 8)}`,
      budgets: { amountUsd: '0.0000001', period: 'daily' },
    });
    const { key } = await adminCreate<{ id: string; key: string }>(gateway.url, '/admin/keys', {
      userId: 'vera',
      teamId: team.id,
    });
    const res = await fetch(`${gateway.url}/v1/embeddings`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'text-embedding-3-small',
        input: 'the quick brown fox jumps over the lazy dog',
      }),
    });
    expect(res.status).toBe(402);
    expect(await res.json()).toMatchObject({
      error: { code: 'budget_exceeded', budget: { scope: 'team', period: 'daily', amountUsd: '0.0000001' } },
    });
  });

  it('a key budget with a period and the lifetime budgetUsd hold together', async () => {
    const { key, id } = await adminCreate<{ id: string; key: string }>(gateway.url, '/admin/keys', {
      userId: 'kai',
      budgetUsd: '1',
      budgets: [{ amountUsd: '0.25', period: 'daily' }],
    });
    const shown = await adminFetch<{ budgets: { period: string }[]; budgetUsd: string }>(
      gateway.url,
      `/admin/keys/${id}`,
    );
    expect(shown.body.budgetUsd).toBe('1');
    expect(shown.body.budgets.map((b) => b.period).sort()).toEqual(['daily', 'total']);
    expect((await chat(gateway.url, key)).status).toBe(200);
    const refused = await chat(gateway.url, key);
    expect(refused.status).toBe(402);
    expect(refused.body.error?.budget).toMatchObject({ scope: 'key', period: 'daily', amountUsd: '0.25' });
  });
});

describe.each([
  ['in memory', {}],
  ['in Redis', { REDIS_URL }],
] as const)('50 concurrent calls against a tight team budget (%s)', (_where, env) => {
  let gateway: Gateway;
  const prefix = `aigw-test-${randomUUID()}:`;

  beforeAll(async () => {
    gateway = await startGateway({ ...env, REDIS_KEY_PREFIX: prefix });
    // Slow enough that the calls overlap.
    const fake = openAIFake({ usage: usage(21, 12_000) });
    gateway.openai.handler = async (request) => {
      await new Promise((resolve) => setTimeout(resolve, 50));
      return fake(request);
    };
  });
  afterAll(async () => {
    await gateway?.close();
    if ('REDIS_URL' in env) {
      const store = RedisLimitStore.connect(REDIS_URL, { keyPrefix: prefix });
      await store.clear();
      await store.close();
    }
  });

  it('overruns it by at most one call', async () => {
    const team = await adminCreate<{ id: string; name: string }>(gateway.url, '/admin/teams', {
      name: `crowd-${randomUUID().slice(0, 8)}`,
      budgets: [{ amountUsd: '1', period: 'monthly' }],
    });
    const keys = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        adminCreate<{ id: string; key: string }>(gateway.url, '/admin/keys', {
          userId: `crowd-${i}`,
          teamId: team.id,
        }),
      ),
    );
    const replies = await Promise.all(
      Array.from({ length: 50 }, (_, i) => chat(gateway.url, (keys[i % keys.length] as { key: string }).key)),
    );
    const ok = replies.filter((r) => r.status === 200).length;
    const refused = replies.filter((r) => r.status === 402);
    expect(ok + refused.length).toBe(50);
    expect(refused.length).toBeGreaterThan(0);
    for (const reply of refused)
      expect(reply.body.error?.budget).toMatchObject({ scope: 'team', id: team.id });
    const spent = await spentBy(gateway, { teamId: team.id });
    expect(spent.toFixed()).toBe(new Decimal(CALL_USD).mul(ok).toFixed());
    // At most one call's cost past the budget (here none: a call never costs more than it reserved).
    expect(spent.lte(new Decimal(1).plus(CALL_USD))).toBe(true);
    // And the budget was used: no more than one call's worst case was left unspent.
    expect(spent.gt(new Decimal(1).minus('0.33'))).toBe(true);
  });
});
