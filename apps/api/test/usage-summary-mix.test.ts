import { anthropicFake, openAIError, openAIFake, type RecordedRequest } from '@aigw/ai/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Decimal } from 'decimal.js';
import OpenAI from 'openai';
import { type Gateway, startGateway } from './support/gateway.js';
import { TEST_ADMIN_KEY } from './support/start-app.js';

/** One scripted call and what the fake upstream will report for it. */
interface Scripted {
  user: string;
  model: string;
  provider: string;
  providerModel: string;
  prompt: number;
  completion: number;
  fail?: boolean;
}

const n = (req: RecordedRequest) => {
  const body = req.body as { messages: { content: unknown }[] };
  return Number(String(JSON.stringify(body.messages.at(-1)?.content)).replace(/\D/g, ''));
};

describe('usage summary after a scripted mix of calls by several users', () => {
  let gateway: Gateway;
  const calls: Scripted[] = [];
  const prices = new Map<string, { input: string; output: string }>();
  const from = new Date(Date.now() - 60_000).toISOString();

  beforeAll(async () => {
    gateway = await startGateway();
    // Token counts follow from the request, so the test knows each call's usage.
    gateway.openai.handler = (req) =>
      openAIFake({ usage: { prompt_tokens: n(req), completion_tokens: n(req) % 97 } })(req);
    gateway.anthropic.handler = (req) =>
      anthropicFake({
        usage: {
          input_tokens: n(req),
          output_tokens: n(req) % 89,
          cache_read_input_tokens: 0,
          cache_creation_input_tokens: 0,
        },
      })(req);
    const models = (await (
      await fetch(`${gateway.url}/v1/models`, {
        headers: { authorization: `Bearer ${(await gateway.issueKey('lister')).key}` },
      })
    ).json()) as {
      data: { id: string; pricing?: { input_per_mtok: string; output_per_mtok: string } }[];
    };
    for (const m of models.data)
      if (m.pricing) prices.set(m.id, { input: m.pricing.input_per_mtok, output: m.pricing.output_per_mtok });

    const users = ['ann', 'ben', 'cho'];
    const clients = new Map<string, OpenAI>();
    for (const user of users) {
      clients.set(
        user,
        new OpenAI({
          apiKey: (await gateway.issueKey(user)).key,
          baseURL: `${gateway.url}/v1`,
          maxRetries: 0,
        }),
      );
    }
    const targets = [
      { model: 'gpt-4o-mini', provider: 'openai', providerModel: 'gpt-4o-mini' },
      { model: 'openai/gpt-4o', provider: 'openai', providerModel: 'gpt-4o' },
      { model: 'claude-sonnet-4-5', provider: 'anthropic', providerModel: 'claude-sonnet-4-5' },
      { model: 'anthropic/claude-haiku-4-5', provider: 'anthropic', providerModel: 'claude-haiku-4-5' },
    ];
    for (let i = 0; i < 36; i++) {
      const user = users[i % 3] as string;
      const target = targets[(i * 7) % 4] as (typeof targets)[number];
      const prompt = 100 + i * 37;
      const fail = i % 11 === 5;
      if (fail) gateway.openai.enqueue(openAIError(500, 'server_error', 'boom'));
      // The scripted failures go to OpenAI, whose fake has the 500 queued.
      const chosen = fail ? (targets[0] as typeof target) : target;
      const scripted: Scripted = {
        user,
        ...chosen,
        prompt,
        completion: prompt % (chosen.provider === 'openai' ? 97 : 89),
        fail,
      };
      calls.push(scripted);
      const request = {
        model: scripted.model,
        messages: [{ role: 'user' as const, content: `n=${prompt}` }],
        stream: i % 2 === 0,
      };
      const client = clients.get(user) as OpenAI;
      try {
        if (request.stream) {
          for await (const _ of await client.chat.completions.create({
            ...request,
            stream: true,
            stream_options: { include_usage: true },
          })) {
            // drain
          }
        } else {
          await client.chat.completions.create({ ...request, stream: false });
        }
      } catch {
        // the scripted failures
      }
    }
    await gateway.flushUsage();
  });
  afterAll(() => gateway?.close());

  const costOf = (c: Scripted) => {
    if (c.fail) return new Decimal(0);
    const price = prices.get(`${c.provider}/${c.providerModel}`);
    if (!price) throw new Error(`no price for ${c.provider}/${c.providerModel}`);
    return new Decimal(price.input)
      .mul(c.prompt)
      .plus(new Decimal(price.output).mul(c.completion))
      .div(1_000_000);
  };

  const summary = async (query: string) => {
    const res = await fetch(`${gateway.url}/admin/usage/summary?${query}`, {
      headers: { authorization: `Bearer ${TEST_ADMIN_KEY}` },
    });
    expect(res.status).toBe(200);
    return (await res.json()) as {
      rows: Record<string, string | number>[];
      totals: Record<string, string | number>;
    };
  };

  const keyOf = (c: Scripted, by: string[]) =>
    by
      .map(
        (g) =>
          ({
            user: c.user,
            provider: c.provider,
            model: c.providerModel,
            day: new Date().toISOString().slice(0, 10),
          })[g as 'user'],
      )
      .join('|');
  const rowKey = (r: Record<string, string | number>, by: string[]) =>
    by
      .map((g) => r[{ user: 'userId', provider: 'provider', model: 'model', day: 'day' }[g as 'user']])
      .join('|');

  it.each([
    [['user']],
    [['provider']],
    [['model']],
    [['day']],
    [['user', 'provider']],
    [['user', 'provider', 'model', 'day']],
  ])(
    'groups by %j with rows and totals equal to the sums of the upstream counts at catalog prices',
    async (by) => {
      const result = await summary(
        `from=${from}&to=${new Date(Date.now() + 60_000).toISOString()}&groupBy=${by.join(',')}`,
      );
      const expected = new Map<
        string,
        { requests: number; failures: number; prompt: number; completion: number; cost: Decimal }
      >();
      for (const c of calls) {
        const k = keyOf(c, by);
        const e = expected.get(k) ?? {
          requests: 0,
          failures: 0,
          prompt: 0,
          completion: 0,
          cost: new Decimal(0),
        };
        e.requests += 1;
        e.failures += c.fail ? 1 : 0;
        e.prompt += c.fail ? 0 : c.prompt;
        e.completion += c.fail ? 0 : c.completion;
        e.cost = e.cost.plus(costOf(c));
        expected.set(k, e);
      }
      expect(result.rows).toHaveLength(expected.size);
      for (const row of result.rows) {
        const e = expected.get(rowKey(row, by));
        expect(e).toBeDefined();
        expect(row).toMatchObject({
          requests: e?.requests,
          failures: e?.failures,
          promptTokens: e?.prompt,
          completionTokens: e?.completion,
          totalTokens: (e?.prompt ?? 0) + (e?.completion ?? 0),
        });
        expect(new Decimal(String(row.costUsd)).equals(e?.cost ?? 0)).toBe(true);
      }
      const total = [...expected.values()].reduce((s, e) => s.plus(e.cost), new Decimal(0));
      expect(new Decimal(String(result.totals.costUsd)).equals(total)).toBe(true);
      expect(result.totals.requests).toBe(calls.length);
      expect(result.totals.failures).toBe(calls.filter((c) => c.fail).length);
    },
  );

  it('leaves out calls outside the range', async () => {
    const result = await summary(
      `from=${new Date(Date.now() + 60_000).toISOString()}&to=${new Date(Date.now() + 120_000).toISOString()}&groupBy=user`,
    );
    expect(result.rows).toEqual([]);
    expect(result.totals.requests).toBe(0);
  });
});
