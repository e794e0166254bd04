import { anthropicFake, anthropicMessage } from '@aigw/ai/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import OpenAI from 'openai';
import { DatabaseService } from '../src/database/database.service.js';
import { ResponseStore } from '../src/gateway/responses/response-store.js';
import { type Gateway, startGateway } from './support/gateway.js';
import { openAISpecErrors } from './support/openai-spec/openai-spec.js';
import { waitForUsageRows } from './support/wait-for-rows.js';

describe('/v1/responses: kept responses, their owners, background runs, input items and token counts', () => {
  let gateway: Gateway;
  let alice: OpenAI;
  let bob: OpenAI;
  let aliceKey: string;

  beforeAll(async () => {
    gateway = await startGateway();
    ({ key: aliceKey } = await gateway.issueKey('alice-r'));
    alice = new OpenAI({ apiKey: aliceKey, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
    bob = new OpenAI({
      apiKey: (await gateway.issueKey('bob-r')).key,
      baseURL: `${gateway.url}/v1`,
      maxRetries: 0,
    });
  });
  afterAll(() => gateway?.close());

  it.each(['gpt-4o-mini', 'claude-haiku-4-5'])(
    "keeps a response for its user only: another user's id is a 404, to read, delete or continue (%s)",
    async (model) => {
      const mine = await alice.responses.create({ model, input: 'Hi' });
      await expect(bob.responses.retrieve(mine.id)).rejects.toBeInstanceOf(OpenAI.NotFoundError);
      await expect(bob.responses.delete(mine.id)).rejects.toBeInstanceOf(OpenAI.NotFoundError);
      await expect(
        bob.responses.create({ model, input: 'And?', previous_response_id: mine.id }),
      ).rejects.toBeInstanceOf(OpenAI.NotFoundError);
      expect((await alice.responses.retrieve(mine.id)).id).toBe(mine.id);
    },
  );

  it('keeps nothing with store: false', async () => {
    const unkept = await alice.responses.create({ model: 'claude-haiku-4-5', input: 'Hi', store: false });
    await expect(alice.responses.retrieve(unkept.id)).rejects.toBeInstanceOf(OpenAI.NotFoundError);
  });

  it('lists the input items of a kept response, paged by after and limit, newest first by default', async () => {
    const created = await alice.responses.create({
      model: 'claude-haiku-4-5',
      instructions: 'Be brief.',
      input: [
        { role: 'user', content: 'one' },
        { role: 'assistant', content: 'two' },
        { role: 'user', content: 'three' },
      ],
    });
    const all = await alice.responses.inputItems.list(created.id, { order: 'asc' });
    const listed = await (
      await fetch(`${gateway.url}/v1/responses/${created.id}/input_items?order=asc`, {
        headers: { authorization: `Bearer ${aliceKey}` },
      })
    ).json();
    expect(openAISpecErrors('ResponseItemList', listed)).toEqual([]);
    const texts = all.data.map((item) =>
      item.type === 'message' ? item.content.map((c) => ('text' in c ? c.text : '')).join('') : '',
    );
    expect(texts).toEqual(['one', 'two', 'three']);
    expect(new Set(all.data.map((item) => item.id)).size).toBe(3);

    const newest = await alice.responses.inputItems.list(created.id, { limit: 2 });
    expect(newest.data.map((item) => item.id)).toEqual([all.data[2]?.id, all.data[1]?.id]);
    expect(newest.has_more).toBe(true);
    const rest = await alice.responses.inputItems.list(created.id, { limit: 2, after: all.data[1]?.id });
    expect(rest.data.map((item) => item.id)).toEqual([all.data[0]?.id]);
    expect(rest.has_more).toBe(false);
  });

  it('runs a background response: queued at once, then completed for GET; cancel stops a running one', async () => {
    const queued = await alice.responses.create({ model: 'claude-haiku-4-5', input: 'Hi', background: true });
    expect(queued).toMatchObject({ status: 'queued', background: true });
    let done = queued;
    for (let i = 0; i < 100 && (done.status === 'queued' || done.status === 'in_progress'); i++) {
      await new Promise((r) => setTimeout(r, 50));
      done = await alice.responses.retrieve(queued.id);
    }
    expect(done.status).toBe('completed');
    expect(done.id).toBe(queued.id);
    expect(done.output_text).toBe('Hello from the fake upstream.');
    // Finished: cancelling changes nothing.
    expect((await alice.responses.cancel(queued.id)).status).toBe('completed');

    // A slow upstream: the cancel aborts the call, whose row says so.
    gateway.anthropic.enqueue({
      kind: 'json',
      body: anthropicMessage({}, 'claude-haiku-4-5'),
      delayMs: 3000,
    });
    const slow = await alice.responses.create({ model: 'claude-haiku-4-5', input: 'Hi', background: true });
    await new Promise((r) => setTimeout(r, 200));
    const cancelled = await alice.responses.cancel(slow.id);
    expect(cancelled.status).toBe('cancelled');
    expect((await alice.responses.retrieve(slow.id)).status).toBe('cancelled');
    const rows = await waitForUsageRows(gateway, { userId: 'alice-r', errorCode: 'aborted' });
    expect(rows).toHaveLength(1);
  });

  it('runs a background response natively too (OpenAI), known by the gateway id; streaming one is refused', async () => {
    const queued = await alice.responses.create({ model: 'gpt-4o-mini', input: 'Hi', background: true });
    let done = queued;
    for (let i = 0; i < 100 && (done.status === 'queued' || done.status === 'in_progress'); i++) {
      await new Promise((r) => setTimeout(r, 50));
      done = await alice.responses.retrieve(queued.id);
    }
    expect(done).toMatchObject({ id: queued.id, status: 'completed', background: true });
    expect(done.output_text).toBe('Hello from the fake upstream.');
    // The provider got the call without `background`: the gateway ran it.
    expect(gateway.openai.lastBody).not.toHaveProperty('background');

    const error = await alice.responses
      .create({ model: 'gpt-4o-mini', input: 'Hi', background: true, stream: true })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as Error).message).toMatch(/stream: a background response is not streamed/);
  });

  it('cancels a background response another replica is running: marked here, and its late end does not count', async () => {
    const store = gateway.running.app.get(ResponseStore);
    const id = `resp_${'0'.repeat(31)}9`;
    const running = { id, object: 'response', status: 'in_progress', background: true, output: [] };
    await store.save({
      id,
      userId: 'alice-r',
      requestId: 'other-replica',
      provider: 'anthropic',
      requestedModel: 'claude-haiku-4-5',
      status: 'in_progress',
      previousResponseId: null,
      storedUpstream: false,
      background: true,
      response: running,
      inputItems: [],
      outputItems: [],
    });
    expect((await alice.responses.cancel(id)).status).toBe('cancelled');
    // The other replica's run ends later: its answer no longer counts.
    const late = { ...running, status: 'completed' };
    expect(await store.transition(id, ['in_progress'], { status: 'completed', response: late })).toBe(false);
    expect((await alice.responses.retrieve(id)).status).toBe('cancelled');
  });

  it('cannot cancel a response that was not made in the background', async () => {
    const made = await alice.responses.create({ model: 'claude-haiku-4-5', input: 'Hi' });
    await expect(alice.responses.cancel(made.id)).rejects.toBeInstanceOf(OpenAI.BadRequestError);
  });

  it('counts input tokens: the provider counts for an OpenAI model, the gateway estimates for others', async () => {
    const counted = await alice.responses.inputTokens.count({
      model: 'gpt-4o-mini',
      input: 'How many tokens is this?',
    });
    expect(counted).toMatchObject({ object: 'response.input_tokens', input_tokens: expect.any(Number) });
    expect(gateway.openai.lastRequest?.path).toBe('/v1/responses/input_tokens');

    const res = await fetch(`${gateway.url}/v1/responses/input_tokens`, {
      method: 'POST',
      headers: { authorization: `Bearer ${aliceKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'claude-haiku-4-5', input: 'Hello there' }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-aigw-token-count')).toBe('estimated; tokenizer=o200k_base');
    const estimate = await res.json();
    expect(openAISpecErrors('TokenCountsResource', estimate)).toEqual([]);
    expect(estimate.input_tokens).toBeGreaterThan(0);
  });

  it('holds Responses calls to the key budget, as every call (no escape from the budget)', async () => {
    const poor = await gateway.issueKey('poor-r', { budgetUsd: '0.000001' });
    const client = new OpenAI({ apiKey: poor.key, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
    for (const model of ['gpt-4o-mini', 'claude-haiku-4-5']) {
      const error = await client.responses
        .create({ model, input: 'Hi', max_output_tokens: 4000 })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OpenAI.APIError);
      expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(402);
    }
    await gateway.flushUsage();
    const rows = await gateway.running.app
      .get(DatabaseService)
      .prisma.aIUsageLog.count({ where: { userId: 'poor-r' } });
    expect(rows).toBe(0);
  });
});
