import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeUpstream, openAIError, openAIFake } from '@aigw/ai/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import OpenAI from 'openai';
import { type Gateway, startGateway } from './support/gateway.js';
import { hangUpDuringCall } from './support/hang-up.js';
import { TEST_ADMIN_KEY } from './support/start-app.js';

describe('a route of three targets over HTTP', () => {
  const limited = new FakeUpstream(() =>
    openAIError(429, 'rate_limit_exceeded', 'Rate limit reached', { 'retry-after': '30' }),
  );
  // Its chat answers come far later than the route's 2 s per attempt (the hang-up test queues
  // its own 3 s answer); its other answers (the /health check's) come at once.
  const slow = new FakeUpstream(
    async (req) =>
      ({
        ...(await openAIFake({ text: 'too late' })(req)),
        delayMs: req.path.endsWith('/chat/completions') ? 10_000 : 0,
      }) as never,
  );
  const healthy = new FakeUpstream(openAIFake({ text: 'answered by the third' }));
  let gateway: Gateway;
  let client: OpenAI;

  beforeAll(async () => {
    const [a, b, c] = await Promise.all([limited.listen(), slow.listen(), healthy.listen()]);
    const config = join(tmpdir(), `aigw-routes-${process.pid}.yaml`);
    await writeFile(
      config,
      `providers:
  first: { type: openai-compatible, baseUrl: "${a}/v1", apiKey: "\${FIRST_KEY}" }
  second: { type: openai-compatible, baseUrl: "${b}/v1", apiKey: k2 }
  third: { type: openai-compatible, baseUrl: "${c}/v1", apiKey: k3 }
routes:
  smart:
    strategy: failover
    timeoutMs: 2000
    targets: [first/model-a, second/model-b, third/model-c]
  patient:
    timeoutMs: 2500
    targets: [second/model-b]
`,
    );
    gateway = await startGateway({ AI_CONFIG: config, FIRST_KEY: 'sk-first-provider-key-000000001' });
    client = new OpenAI({
      apiKey: (await gateway.issueKey('dana')).key,
      baseURL: `${gateway.url}/v1`,
      maxRetries: 0,
    });
  });
  afterAll(async () => {
    await gateway?.close();
    await Promise.all([limited.close(), slow.close(), healthy.close()]);
  });

  it('answers from the third target without the caller noticing, and the logs show all three attempts', async () => {
    const { data, response } = await client.chat.completions
      .create({ model: 'smart', messages: [{ role: 'user', content: 'hi' }] })
      .withResponse();
    expect(data.choices[0]?.message.content).toBe('answered by the third');
    expect(response.headers.get('x-aigw-provider')).toBe('third');
    expect(response.headers.get('x-aigw-model')).toBe('model-c');

    await gateway.flushUsage();
    const res = await fetch(`${gateway.url}/admin/usage/logs?userId=dana`, {
      headers: { authorization: `Bearer ${TEST_ADMIN_KEY}` },
    });
    const { items } = (await res.json()) as {
      items: {
        requestId: string;
        attempt: number;
        provider: string;
        errorCode: string | null;
        requestedModel: string;
      }[];
    };
    const requestId = response.headers.get('x-request-id');
    const attempts = items.filter((i) => i.requestId === requestId).sort((x, y) => x.attempt - y.attempt);
    expect(attempts.map((a) => [a.attempt, a.provider, a.errorCode, a.requestedModel])).toEqual([
      [1, 'first', 'rate_limited', 'smart'],
      [2, 'second', 'timeout', 'smart'],
      [3, 'third', null, 'smart'],
    ]);
  });

  it('shows each provider and its circuit breaker in /health', async () => {
    const health = (await (await fetch(`${gateway.url}/health`)).json()) as {
      details: { providers: { providers: Record<string, { breaker: string }> } };
    };
    expect(Object.keys(health.details.providers.providers)).toEqual(
      expect.arrayContaining(['first', 'second', 'third']),
    );
    expect(health.details.providers.providers.third?.breaker).toBe('closed');
  });

  it('cancels a timed call when its client goes away: the row says aborted, not timeout', async () => {
    const rows = await hangUpDuringCall(gateway, {
      userId: 'omar-hangs-up',
      upstream: slow,
      path: '/v1/chat/completions',
      headers: (key) => ({ authorization: `Bearer ${key}` }),
      body: { model: 'patient', messages: [{ role: 'user', content: 'take your time' }] },
    });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ provider: 'second', isSuccess: false, errorCode: 'aborted' });
    // Ended by the hang-up, not by the route's 2.5 s timeout or the upstream's answer at 3 s.
    expect(rows[0]?.latencyMs).toBeLessThan(2000);
  });
});
