import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { anthropicMessage, type FakeHandler, type FakeUpstream, openAIFake } from '@aigw/ai/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import OpenAI from 'openai';
import { adminCreate, adminFetch } from './support/admin-api.js';
import { type Gateway, startGateway } from './support/gateway.js';
import { TEST_ADMIN_KEY } from './support/start-app.js';

const usage = (prompt: number, completion: number) => ({
  prompt_tokens: prompt,
  completion_tokens: completion,
  total_tokens: prompt + completion,
});

interface Reply {
  status: number;
  headers: Headers;
  body: { error?: { message: string; code: string; type: string; allowed_models?: string[] } };
}

async function call(url: string, key: string, body: Record<string, unknown> = {}): Promise<Reply> {
  const res = await fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }], ...body }),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Reply['body'] };
}

/** A streamed chat call, its answer not read yet. */
function openStream(url: string, key: string): Promise<Response> {
  return fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: 'Hi' }] }),
  });
}

/**
 * Calls that overlap however slowly they are served: the upstream holds every call it gets
 * until each of `calls` is either held there or answered by the gateway (refused); then it
 * answers them all with `answer` (and every later call at once).
 */
async function inLockstep(
  upstream: FakeUpstream,
  answer: FakeHandler,
  calls: (() => Promise<Reply>)[],
): Promise<Reply[]> {
  let held = 0;
  let answered = 0;
  let release = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  upstream.handler = async (request) => {
    held++;
    await released;
    return answer(request);
  };
  const replies = calls.map((send) => send().finally(() => answered++));
  // Past this, let go anyway: the statuses then say what went wrong.
  const deadline = Date.now() + 20_000;
  while (held + answered < calls.length && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 10));
  }
  release();
  return Promise.all(replies);
}

describe('per-key and per-team limits: tpm, maxParallel, rpm, model allowlists, expiry', () => {
  let gateway: Gateway;
  let now = Date.now();

  beforeAll(async () => {
    gateway = await startGateway({}, { clock: () => now });
  });
  afterAll(() => gateway?.close());

  it('a stream carries the x-ratelimit request and token headers too, the reset being the time left in the window', async () => {
    gateway.openai.handler = openAIFake({ usage: usage(21, 60) });
    const { key } = await adminCreate<{ id: string; key: string }>(gateway.url, '/admin/keys', {
      userId: 'stream-headers',
      rpmLimit: 10,
      tpmLimit: 1000,
    });
    expect((await call(gateway.url, key)).status).toBe(200);
    // (Limit windows run on real time.)
    await new Promise((r) => setTimeout(r, 1100));
    const res = await openStream(gateway.url, key);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    await res.text();
    expect(res.headers.get('x-ratelimit-limit-requests')).toBe('10');
    expect(res.headers.get('x-ratelimit-remaining-requests')).toBe('8');
    expect(res.headers.get('x-ratelimit-limit-tokens')).toBe('1000');
    // 81 tokens of the first call, plus this one's prompt estimate.
    expect(Number(res.headers.get('x-ratelimit-remaining-tokens'))).toBeLessThan(1000 - 81);
    for (const name of ['x-ratelimit-reset-requests', 'x-ratelimit-reset-tokens']) {
      expect(res.headers.get(name)).toMatch(/^\d+s$/);
      // A second into the key's minute: what is left of it, not the whole window.
      expect(Number.parseInt(res.headers.get(name) ?? '', 10)).toBeLessThanOrEqual(59);
    }
  });

  it('refuses past tpmLimit with 429, Retry-After and the x-ratelimit token headers', async () => {
    gateway.openai.handler = openAIFake({ usage: usage(21, 60) });
    const { key } = await adminCreate<{ id: string; key: string }>(gateway.url, '/admin/keys', {
      userId: 'tara',
      tpmLimit: 100,
    });
    // 81 tokens counted after the first call; the second's prompt still fits, then 162 are counted.
    const first = await call(gateway.url, key);
    expect(first.status).toBe(200);
    // A counted call says where the key's window stands, as OpenAI does.
    expect(first.headers.get('x-ratelimit-limit-tokens')).toBe('100');
    expect(Number(first.headers.get('x-ratelimit-remaining-tokens'))).toBeLessThan(100);
    expect(first.headers.get('x-ratelimit-reset-tokens')).toMatch(/^\d+s$/);
    expect((await call(gateway.url, key)).status).toBe(200);
    const sent = gateway.openai.requests.length;
    const refused = await call(gateway.url, key);
    expect(refused.status).toBe(429);
    // A refused call never reached the provider.
    expect(gateway.openai.requests.length).toBe(sent);
    expect(refused.body.error).toMatchObject({ type: 'rate_limit_exceeded', code: 'rate_limited' });
    expect(refused.body.error?.message).toMatch(/^This API key is limited to 100 tokens per minute/);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(refused.headers.get('x-ratelimit-limit-tokens')).toBe('100');
    expect(refused.headers.get('x-ratelimit-remaining-tokens')).toBe('0');
    expect(refused.headers.get('x-ratelimit-reset-tokens')).toMatch(/^\d+s$/);
  });

  it('refuses calls past maxParallel with 429 and Retry-After, and frees the slot when a call ends', async () => {
    const fake = openAIFake({ usage: usage(5, 5) });
    gateway.openai.handler = fake;
    const { key } = await adminCreate<{ id: string; key: string }>(gateway.url, '/admin/keys', {
      userId: 'pia',
      maxParallel: 2,
    });
    // The admitted calls are held at the upstream until the others are answered: all four overlap.
    const replies = await inLockstep(
      gateway.openai,
      fake,
      Array.from({ length: 4 }, () => () => call(gateway.url, key)),
    );
    expect(replies.map((r) => r.status).sort()).toEqual([200, 200, 429, 429]);
    const refused = replies.find((r) => r.status === 429) as Reply;
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(refused.body.error?.message).toMatch(/maxParallel/);
    // The two calls ended: their slots are free again.
    expect((await call(gateway.url, key)).status).toBe(200);
    // A stream holds its slot until it ends (its events 250 ms apart: it lasts some 3 s).
    gateway.openai.handler = openAIFake({
      usage: usage(5, 5),
      text: 'one two three four',
      chunkSize: 2,
      eventDelayMs: 250,
    });
    const open = await openStream(gateway.url, key);
    // While it streams, two more calls: the one admitted is held at the upstream until the other is answered.
    const during = await inLockstep(gateway.openai, fake, [
      () => call(gateway.url, key),
      () => call(gateway.url, key),
    ]);
    expect(during.map((r) => r.status).sort()).toEqual([200, 429]);
    expect(await open.text()).toMatch(/data: \[DONE\]/);
    expect((await call(gateway.url, key)).status).toBe(200);
  });

  it('a background response holds its maxParallel slot until its run ends', async () => {
    gateway.openai.handler = openAIFake({ usage: usage(5, 5) });
    const { key } = await adminCreate<{ id: string; key: string }>(gateway.url, '/admin/keys', {
      userId: 'bea',
      maxParallel: 1,
    });
    // The run's upstream call is held until the test lets it go.
    let release = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    const anthropicHandler = gateway.anthropic.handler;
    gateway.anthropic.handler = async () => {
      await released;
      return { kind: 'json', body: anthropicMessage({}, 'claude-haiku-4-5') };
    };
    try {
      const client = new OpenAI({ apiKey: key, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
      const queued = await client.responses.create({
        model: 'claude-haiku-4-5',
        input: 'Hi',
        background: true,
      });
      expect(queued.status).toBe('queued');
      // Its answer has gone, but its run is still a call in flight.
      expect((await call(gateway.url, key)).status).toBe(429);
      release();
      let done = queued;
      for (let i = 0; i < 100 && (done.status === 'queued' || done.status === 'in_progress'); i++) {
        await new Promise((r) => setTimeout(r, 50));
        done = await client.responses.retrieve(queued.id);
      }
      expect(done.status).toBe('completed');
      await new Promise((r) => setTimeout(r, 50));
      expect((await call(gateway.url, key)).status).toBe(200);
    } finally {
      release();
      gateway.anthropic.handler = anthropicHandler;
    }
  });

  it("counts a team's rpmLimit over all its keys, and reports the key's window in x-ratelimit headers", async () => {
    gateway.openai.handler = openAIFake({ usage: usage(5, 5) });
    const team = await adminFetch<{ id: string }>(gateway.url, '/admin/teams', {
      method: 'POST',
      json: { name: `rpm-${randomUUID().slice(0, 8)}`, rpmLimit: 3 },
    });
    const a = await adminCreate<{ id: string; key: string }>(gateway.url, '/admin/keys', {
      userId: 'ann',
      teamId: team.body.id,
      rpmLimit: 10,
    });
    const b = await adminCreate<{ id: string; key: string }>(gateway.url, '/admin/keys', {
      userId: 'bob',
      teamId: team.body.id,
    });
    const first = await call(gateway.url, a.key);
    expect(first.status).toBe(200);
    expect(first.headers.get('x-ratelimit-limit-requests')).toBe('10');
    expect(first.headers.get('x-ratelimit-remaining-requests')).toBe('9');
    expect((await call(gateway.url, b.key)).status).toBe(200);
    expect((await call(gateway.url, b.key)).status).toBe(200);
    const refused = await call(gateway.url, a.key);
    expect(refused.status).toBe(429);
    expect(refused.body.error?.message).toMatch(/^This key's team is limited to 3 requests per minute/);
    expect(refused.headers.get('x-ratelimit-limit-requests')).toBe('3');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });

  it('refuses a model outside the allowlist with 403 naming the allowed patterns (key and team)', async () => {
    gateway.openai.handler = openAIFake({ usage: usage(5, 5) });
    const { key } = await adminCreate<{ id: string; key: string }>(gateway.url, '/admin/keys', {
      userId: 'liv',
      allowedModels: ['gpt-4o-mini', 'anthropic/*'],
    });
    const refused = await call(gateway.url, key, { model: 'gpt-4o' });
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatchObject({
      type: 'permission_error',
      code: 'model_not_allowed',
      allowed_models: ['gpt-4o-mini', 'anthropic/*'],
    });
    expect(refused.body.error?.message).toBe(
      'This API key may not call model "gpt-4o": its allowed models are "gpt-4o-mini", "anthropic/*". An admin can change its allowedModels.',
    );
    expect((await call(gateway.url, key, { model: 'gpt-4o-mini' })).status).toBe(200);
    // A catalog id served by an allowed provider, and provider/model, match provider/*.
    expect((await call(gateway.url, key, { model: 'claude-haiku-4-5', max_tokens: 10 })).status).toBe(200);
    expect(
      (await call(gateway.url, key, { model: 'anthropic/claude-haiku-4-5', max_tokens: 10 })).status,
    ).toBe(200);

    // A team's allowlist binds its keys too: the stricter of both.
    const team = await adminFetch<{ id: string; name: string }>(gateway.url, '/admin/teams', {
      method: 'POST',
      json: { name: `openai-only-${randomUUID().slice(0, 8)}`, allowedModels: ['openai/*'] },
    });
    const teamKey = await adminCreate<{ id: string; key: string }>(gateway.url, '/admin/keys', {
      userId: 'noa',
      teamId: team.body.id,
      allowedModels: ['*'],
    });
    expect((await call(gateway.url, teamKey.key, { model: 'gpt-4o' })).status).toBe(200);
    const byTeam = await call(gateway.url, teamKey.key, { model: 'claude-haiku-4-5', max_tokens: 10 });
    expect(byTeam.status).toBe(403);
    expect(byTeam.body.error?.message).toMatch(new RegExp(`^Team ${team.body.name} may not call model`));

    // The Anthropic route answers in its own format.
    const messages = await fetch(`${gateway.url}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': key, 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({ model: 'gpt-4o', max_tokens: 10, messages: [{ role: 'user', content: 'Hi' }] }),
    });
    expect(messages.status).toBe(403);
    expect(await messages.json()).toMatchObject({ type: 'error', error: { type: 'permission_error' } });
  });

  it('refuses an expired key with 401, and the OpenAI SDK sees an AuthenticationError', async () => {
    gateway.openai.handler = openAIFake({ usage: usage(5, 5) });
    const expiresAt = new Date(now + 60_000).toISOString();
    const { key, id } = await adminCreate<{ id: string; key: string }>(gateway.url, '/admin/keys', {
      userId: 'eli',
      expiresAt,
    });
    const shown = await adminFetch<{ expiresAt: string }>(gateway.url, `/admin/keys/${id}`);
    expect(shown.body.expiresAt).toBe(expiresAt);
    expect((await call(gateway.url, key)).status).toBe(200);
    // The key is cached as verified; expiry holds all the same.
    now += 61_000;
    const expired = await call(gateway.url, key);
    expect(expired.status).toBe(401);
    expect(expired.body.error?.message).toBe(
      `This API key expired at ${expiresAt}; an admin can extend its expiresAt or issue a new key.`,
    );
    const client = new OpenAI({ apiKey: key, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
    await expect(
      client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] }),
    ).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
    // Extended, it works again.
    const extended = await adminFetch(gateway.url, `/admin/keys/${id}`, {
      method: 'PATCH',
      json: { expiresAt: new Date(now + 3_600_000).toISOString() },
    });
    expect(extended.status).toBe(200);
    expect((await call(gateway.url, key)).status).toBe(200);
  });

  it('accepts an empty body whatever its content-type on routes that take none', async () => {
    const types = [
      'application/json',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/octet-stream',
      'text/plain',
    ];
    for (const type of types) {
      const { id } = await adminCreate<{ id: string; key: string }>(gateway.url, '/admin/keys', {
        userId: 'del',
      });
      const team = await adminFetch<{ id: string }>(gateway.url, '/admin/teams', {
        method: 'POST',
        json: { name: `gone-${randomUUID().slice(0, 8)}` },
      });
      for (const path of [`/admin/keys/${id}`, `/admin/teams/${team.body.id}`]) {
        const res = await fetch(`${gateway.url}${path}`, {
          method: 'DELETE',
          headers: { authorization: `Bearer ${TEST_ADMIN_KEY}`, 'content-type': type, 'content-length': '0' },
        });
        expect([path, type, res.status, res.status === 200 ? '' : await res.text()]).toEqual([
          path,
          type,
          200,
          '',
        ]);
      }
      const get = await fetch(`${gateway.url}/admin/keys`, {
        headers: { authorization: `Bearer ${TEST_ADMIN_KEY}`, 'content-type': type },
      });
      expect([type, get.status]).toEqual([type, 200]);
    }
    // A body of a type no route reads is still a 415, in the route's format.
    const { id } = await adminCreate<{ id: string; key: string }>(gateway.url, '/admin/keys', {
      userId: 'del',
    });
    const octets = await fetch(`${gateway.url}/admin/keys/${id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${TEST_ADMIN_KEY}`, 'content-type': 'application/octet-stream' },
      body: 'x',
    });
    expect(octets.status).toBe(415);
    expect(((await octets.json()) as Reply['body']).error?.message).toBeTruthy();
    // Chunked: empty is no body; a byte in it is a 415 (and the rest is read and dropped).
    const chunked = (chunks: string[]) =>
      new Promise<number>((resolve, reject) => {
        const req = httpRequest(`${gateway.url}/admin/keys/${id}`, {
          method: 'DELETE',
          headers: {
            authorization: `Bearer ${TEST_ADMIN_KEY}`,
            'content-type': 'application/x-www-form-urlencoded',
            'transfer-encoding': 'chunked',
          },
        });
        req.on('response', (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        for (const chunk of chunks) req.write(chunk);
        req.end();
      });
    expect(await chunked(['a=1', '&b=2'])).toBe(415);
    expect(await chunked([])).toBe(200);
    // A route that needs a body still says so.
    const empty = await fetch(`${gateway.url}/admin/teams`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_ADMIN_KEY}`, 'content-type': 'application/json' },
    });
    expect(empty.status).toBe(400);
    expect(((await empty.json()) as Reply['body']).error?.message).toMatch(/JSON object/);
  });
});
