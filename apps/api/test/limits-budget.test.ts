import { openAIFake } from '@aigw/ai/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Decimal } from 'decimal.js';
import { DatabaseService } from '../src/database/database.service.js';
import { expectOpenAIError } from './support/admin-api.js';
import { type Gateway, startGateway } from './support/gateway.js';

describe('per-key budgets (budgetUsd): refused with 402 before they are passed', () => {
  let gateway: Gateway;

  beforeAll(async () => {
    gateway = await startGateway();
  });
  afterAll(() => gateway?.close());

  const spentBy = async (apiKeyId: string) => {
    await gateway.flushUsage();
    const sum = await gateway.running.app
      .get(DatabaseService)
      .prisma.aIUsageLog.aggregate({ where: { apiKeyId }, _sum: { costUsd: true } });
    return new Decimal(sum._sum.costUsd?.toFixed() ?? '0');
  };
  const chat = async (key: string, body: Record<string, unknown>) => {
    const res = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ messages: [{ role: 'user', content: 'Hi' }], ...body }),
    });
    return { status: res.status, headers: res.headers, body: (await res.json()) as unknown };
  };
  const usage = (prompt: number, completion: number) => ({
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
  });

  it('stops a user with a $1 budget at $1', async () => {
    // gpt-4o: $2.50 / $10 per 1M tokens. Each call may write 16000 tokens ($0.16) and writes 12000.
    gateway.openai.handler = openAIFake({ usage: usage(21, 12_000) });
    const { key, id } = await gateway.issueKey('ursula', { budgetUsd: '1' });
    const statuses: number[] = [];
    let last: Awaited<ReturnType<typeof chat>> | undefined;
    for (let i = 0; i < 20; i++) {
      last = await chat(key, { model: 'gpt-4o', max_tokens: 16_000 });
      statuses.push(last.status);
      if (last.status !== 200) break;
    }
    // 7 x $0.1200525 = $0.8403675 spent: an 8th call could cost over $0.16, past $1.
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 200, 402]);
    const spent = await spentBy(id);
    expect(spent.toFixed()).toBe('0.8403675');
    expect(spent.lte(1)).toBe(true);
    const message = expectOpenAIError(last as NonNullable<typeof last>, 402);
    expect(last?.body).toMatchObject({ error: { type: 'insufficient_quota', code: 'budget_exceeded' } });
    expect(message).toMatch(
      /^Budget exceeded for this API key: its budget is \$1, \$0\.8403675 is spent, and this call could cost up to \$0\.16\d* \(openai\/gpt-4o: about \d+ prompt tokens \+ up to 16000 output tokens; a lower max_tokens needs less\)\. An admin can raise the key's budgetUsd\.$/,
    );
    // What is left still pays for a smaller call; the budget is never passed.
    expect((await chat(key, { model: 'gpt-4o', max_tokens: 1000 })).status).toBe(200);
    expect((await spentBy(id)).lte(1)).toBe(true);
  });

  it('answers 402 in OpenAI format (streaming too) and in Anthropic format once the budget is spent', async () => {
    gateway.openai.handler = openAIFake({ usage: usage(21, 1000) });
    const { key } = await gateway.issueKey('victor', { budgetUsd: '0.001' });
    // gpt-4o-mini: 1000 output tokens at $0.60 per 1M = $0.0006, of a $0.001 budget.
    expect((await chat(key, { model: 'gpt-4o-mini', max_tokens: 1000 })).status).toBe(200);
    const refused = await chat(key, { model: 'gpt-4o-mini', max_tokens: 1000 });
    expectOpenAIError(refused, 402);
    expect(refused.body).toMatchObject({ error: { code: 'budget_exceeded', type: 'insufficient_quota' } });
    const stream = await chat(key, { model: 'gpt-4o-mini', max_tokens: 1000, stream: true });
    expectOpenAIError(stream, 402);
    expect(stream.headers.get('content-type')).toMatch(/^application\/json/);

    const messages = await fetch(`${gateway.url}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': key, 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'claude-haiku-4-5',
        max_tokens: 1000,
        messages: [{ role: 'user', content: 'Hi' }],
      }),
    });
    expect(messages.status).toBe(402);
    expect(await messages.json()).toEqual({
      type: 'error',
      error: {
        type: 'billing_error',
        message: expect.stringMatching(
          /^Budget exceeded for this API key: its budget is \$0\.001, .*budgetUsd\.$/,
        ),
        budget: expect.objectContaining({
          scope: 'key',
          period: 'total',
          amountUsd: '0.001',
          resetsAt: null,
        }),
      },
    });
    // Refusals show in /metrics as limiter rejections, never as provider errors.
    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(metrics).toMatch(/^aigw_limiter_rejections_total\{scope="key",limit="budget"\} [1-9]\d*$/m);
    expect(metrics).not.toMatch(/aigw_provider_errors_total\{[^}]*code="budget_exceeded"/);
  });

  it('does not limit keys without a budget', async () => {
    gateway.openai.handler = openAIFake({ usage: usage(21, 12_000) });
    const { key } = await gateway.issueKey('wendy');
    for (let i = 0; i < 10; i++)
      expect((await chat(key, { model: 'gpt-4o', max_tokens: 16_000 })).status).toBe(200);
  });
});
