import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { expectOpenAIError } from './support/admin-api.js';
import { type Gateway, startGateway } from './support/gateway.js';

// Long enough for a window's seven calls in a row on a loaded machine; the test waits it
// out once (Retry-After is in whole seconds, so the wait is about WINDOW_MS).
const WINDOW_MS = 5000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('per-key request limits (rpmLimit), in memory', () => {
  let gateway: Gateway;

  beforeAll(async () => {
    gateway = await startGateway({ RATE_LIMIT_WINDOW_MS: String(WINDOW_MS) });
  });
  afterAll(() => gateway?.close());

  const chat = async (key: string) => {
    const res = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] }),
    });
    return { status: res.status, headers: res.headers, body: (await res.json()) as unknown };
  };

  it('lets exactly rpmLimit requests through, answers the next with 429 and retry-after, and starts again after the window', async () => {
    const { key } = await gateway.issueKey('rita', { rpmLimit: 5 });
    const upstreamBefore = gateway.openai.requests.length;
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await chat(key)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    const refused = await chat(key);
    const message = expectOpenAIError(refused, 429);
    expect(refused.body).toMatchObject({ error: { type: 'rate_limit_exceeded', code: 'rate_limited' } });
    expect(message).toMatch(
      /limited to 5 requests per 5 s; retry in \d+ s\. An admin can raise the key's rpmLimit/,
    );
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(Math.ceil(WINDOW_MS / 1000));
    // Refused requests never reach the provider, and are not counted either.
    expect(gateway.openai.requests.length - upstreamBefore).toBe(5);
    expect((await chat(key)).status).toBe(429);

    await sleep(retryAfter * 1000 + 50);
    const again = [];
    for (let i = 0; i < 6; i++) again.push((await chat(key)).status);
    expect(again).toEqual([200, 200, 200, 200, 200, 429]);
    // Every refusal is counted in /metrics, none as a provider request.
    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(metrics).toMatch(/^aigw_limiter_rejections_total\{scope="key",limit="rpm"\} 3$/m);
  });

  it('counts each key on its own, and leaves keys without rpmLimit unlimited', async () => {
    const [a, b, unlimited] = await Promise.all([
      gateway.issueKey('sam', { rpmLimit: 2 }),
      gateway.issueKey('sam', { rpmLimit: 2 }),
      gateway.issueKey('sam'),
    ]);
    expect([(await chat(a.key)).status, (await chat(a.key)).status, (await chat(a.key)).status]).toEqual([
      200, 200, 429,
    ]);
    expect((await chat(b.key)).status).toBe(200);
    const many = await Promise.all(Array.from({ length: 12 }, () => chat(unlimited.key)));
    expect(many.every((r) => r.status === 200)).toBe(true);
  });

  it('answers 429 in Anthropic format on /v1/messages', async () => {
    const { key } = await gateway.issueKey('tess', { rpmLimit: 1 });
    const post = () =>
      fetch(`${gateway.url}/v1/messages`, {
        method: 'POST',
        headers: { 'x-api-key': key, 'content-type': 'application/json' },
        body: JSON.stringify({
          model: 'claude-haiku-4-5',
          max_tokens: 10,
          messages: [{ role: 'user', content: 'Hi' }],
        }),
      });
    expect((await post()).status).toBe(200);
    const refused = await post();
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await refused.json()).toEqual({
      type: 'error',
      error: { type: 'rate_limit_error', message: expect.stringMatching(/limited to 1 requests per 5 s/) },
    });
  });
});
