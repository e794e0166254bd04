import { randomUUID } from 'node:crypto';
import { openAIFake } from '@aigw/ai/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import OpenAI from 'openai';
import { adminFetch, expectOpenAIError } from './support/admin-api.js';
import { type Gateway, startGateway } from './support/gateway.js';

interface Team {
  id: string;
  name: string;
  budgets: unknown[];
  memberCount: number;
  keyCount: number;
  hasAlertWebhookSecret: boolean;
  spend: { spentUsd: string; state: string }[];
  members: { userId: string }[];
  topUsers: { userId: string; requests: number; costUsd: string }[];
  topModels: { provider: string; model: string; requests: number; costUsd: string }[];
}

describe('admin API: /admin/teams, members, team keys and the usage they are charged', () => {
  let gateway: Gateway;
  const name = `platform-${randomUUID().slice(0, 8)}`;
  let team: Team;

  beforeAll(async () => {
    gateway = await startGateway();
    gateway.openai.handler = openAIFake({
      usage: { prompt_tokens: 10, completion_tokens: 100, total_tokens: 110 },
    });
  });
  afterAll(() => gateway?.close());

  it('creates a team (201) with budgets, limits, an allowlist and members; never shows its webhook secret', async () => {
    const res = await adminFetch<Team>(gateway.url, '/admin/teams', {
      method: 'POST',
      json: {
        name,
        budgets: [
          { amountUsd: '100', period: 'monthly' },
          { amountUsd: 5, period: 'daily', alertThresholds: [0.5, 0.9] },
        ],
        rpmLimit: 100,
        tpmLimit: 100_000,
        maxParallel: 10,
        allowedModels: ['openai/*', 'smart'],
        alertWebhookUrl: 'https://hooks.example.com/platform',
        alertWebhookSecret: 'whsec-0123456789abcdef',
        members: ['ada', 'ben'],
      },
    });
    expect(res.status).toBe(201);
    team = res.body;
    expect(team).toMatchObject({
      name,
      budgets: [
        { amountUsd: '100', period: 'monthly', alertThresholds: [0.8] },
        { amountUsd: '5', period: 'daily', alertThresholds: [0.5, 0.9] },
      ],
      rpmLimit: 100,
      tpmLimit: 100_000,
      maxParallel: 10,
      allowedModels: ['openai/*', 'smart'],
      // A webhook URL is a credential: only its origin is shown.
      alertWebhookUrl: 'https://hooks.example.com/…',
      alertWebhookFormat: 'json',
      hasAlertWebhookSecret: true,
      memberCount: 2,
      keyCount: 0,
    });
    expect(JSON.stringify(team)).not.toContain('whsec-0123456789abcdef');
    expect(JSON.stringify(team)).not.toContain('/platform');
  });

  it('refuses a second team of the same name (409) and bad input (400, naming the field)', async () => {
    const again = await adminFetch(gateway.url, '/admin/teams', { method: 'POST', json: { name } });
    expect(expectOpenAIError(again, 409)).toBe(
      `A team named "${name}" already exists; team names are unique.`,
    );
    const bad = await adminFetch(gateway.url, '/admin/teams', {
      method: 'POST',
      json: { name: 'x', budgets: [{ amountUsd: '-1', period: 'yearly' }] },
    });
    const message = expectOpenAIError(bad, 400);
    expect(message).toMatch(/budgets\[0\]\.amountUsd/);
    expect(message).toMatch(/budgets\[0\]\.period: must be one of daily, weekly, monthly, total/);
    const twice = await adminFetch(gateway.url, '/admin/teams', {
      method: 'POST',
      json: {
        name: 'y',
        budgets: [
          { amountUsd: 1, period: 'daily' },
          { amountUsd: 2, period: 'daily' },
        ],
      },
    });
    expect(expectOpenAIError(twice, 400)).toMatch(/at most one budget per period/);
    expect((await adminFetch(gateway.url, `/admin/teams/${randomUUID()}`)).status).toBe(404);
  });

  it("charges a team key's calls to the team: rows, GET /admin/teams/:id, and the summary by team", async () => {
    const key = await adminFetch<{ id: string; key: string; teamId: string }>(gateway.url, '/admin/keys', {
      method: 'POST',
      json: { userId: 'cleo', teamId: team.id },
    });
    expect(key.status).toBe(201);
    expect(key.body.teamId).toBe(team.id);
    const client = new OpenAI({ apiKey: key.body.key, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
    for (const model of ['gpt-4o', 'gpt-4o', 'gpt-4o-mini'])
      await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'Hi' }] });
    await gateway.flushUsage();

    const detail = await adminFetch<Team>(gateway.url, `/admin/teams/${team.id}`);
    expect(detail.status).toBe(200);
    // The key made its user a member.
    expect(detail.body.members.map((m) => m.userId).sort()).toEqual(['ada', 'ben', 'cleo']);
    expect(detail.body.keyCount).toBe(1);
    // gpt-4o: 10 x $2.50 + 100 x $10 per 1M = $0.001025; gpt-4o-mini: 10 x $0.15 + 100 x $0.60 = $0.0000615.
    expect(detail.body.topUsers).toEqual([{ userId: 'cleo', requests: 3, costUsd: '0.0021115' }]);
    expect(detail.body.topModels).toEqual([
      { provider: 'openai', model: 'gpt-4o', requests: 2, costUsd: '0.00205' },
      { provider: 'openai', model: 'gpt-4o-mini', requests: 1, costUsd: '0.0000615' },
    ]);
    expect(detail.body.spend).toEqual([
      expect.objectContaining({ period: 'monthly', spentUsd: '0.0021115', state: 'ok' }),
      expect.objectContaining({ period: 'daily', spentUsd: '0.0021115', state: 'ok' }),
    ]);

    const summary = await adminFetch<{
      rows: { teamId: string | null; requests: number; costUsd: string }[];
    }>(gateway.url, `/admin/usage/summary?groupBy=team&teamId=${team.id}`);
    expect(summary.status).toBe(200);
    expect(summary.body.rows).toEqual([
      expect.objectContaining({ teamId: team.id, requests: 3, costUsd: '0.002111500000' }),
    ]);
    const logs = await adminFetch<{ items: { teamId: string | null }[] }>(
      gateway.url,
      `/admin/usage/logs?teamId=${team.id}`,
    );
    expect(logs.body.items.map((i) => i.teamId)).toEqual([team.id, team.id, team.id]);

    // A revoked key no longer counts, as GET /admin/keys?teamId= no longer lists it.
    const second = await adminFetch<{ id: string }>(gateway.url, '/admin/keys', {
      method: 'POST',
      json: { userId: 'cleo', teamId: team.id },
    });
    expect((await adminFetch<Team>(gateway.url, `/admin/teams/${team.id}`)).body.keyCount).toBe(2);
    await adminFetch(gateway.url, `/admin/keys/${second.body.id}`, { method: 'DELETE' });
    expect((await adminFetch<Team>(gateway.url, `/admin/teams/${team.id}`)).body.keyCount).toBe(1);
    const listed = await adminFetch<{ data: { id: string }[] }>(gateway.url, `/admin/keys?teamId=${team.id}`);
    expect(listed.body.data.map((k) => k.id)).toEqual([key.body.id]);
    const keys = await adminFetch<{ data: { userId: string }[] }>(
      gateway.url,
      `/admin/keys?teamId=${team.id}`,
    );
    expect(keys.body.data.map((k) => k.userId)).toEqual(['cleo']);
  });

  it('adds and removes members, changes and deletes a team (its keys stay, with no team)', async () => {
    const added = await adminFetch<Team>(gateway.url, `/admin/teams/${team.id}/members`, {
      method: 'POST',
      json: { userIds: ['dev', 'eve'] },
    });
    expect(added.status).toBe(201);
    expect(added.body.members.map((m) => m.userId).sort()).toEqual(['ada', 'ben', 'cleo', 'dev', 'eve']);
    const removed = await adminFetch<Team>(gateway.url, `/admin/teams/${team.id}/members/ben`, {
      method: 'DELETE',
    });
    expect(removed.body.members.map((m) => m.userId)).not.toContain('ben');
    expect(
      (await adminFetch(gateway.url, `/admin/teams/${team.id}/members/ben`, { method: 'DELETE' })).status,
    ).toBe(404);
    const members = await adminFetch<{ data: unknown[] }>(gateway.url, `/admin/teams/${team.id}/members`);
    expect(members.body.data).toHaveLength(4);

    const patched = await adminFetch<Team>(gateway.url, `/admin/teams/${team.id}`, {
      method: 'PATCH',
      json: { budgets: [{ amountUsd: '50', period: 'weekly' }], rpmLimit: null, alertWebhookSecret: null },
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({
      budgets: [{ amountUsd: '50', period: 'weekly' }],
      rpmLimit: null,
      tpmLimit: 100_000,
      hasAlertWebhookSecret: false,
    });
    const list = await adminFetch<{ data: Team[] }>(gateway.url, '/admin/teams');
    expect(list.body.data.find((t) => t.id === team.id)?.spend).toEqual([
      expect.objectContaining({ spentUsd: '0.0021115' }),
    ]);

    const deleted = await adminFetch<Team>(gateway.url, `/admin/teams/${team.id}`, { method: 'DELETE' });
    expect(deleted.status).toBe(200);
    expect((await adminFetch(gateway.url, `/admin/teams/${team.id}`)).status).toBe(404);
    const keys = await adminFetch<{ data: { userId: string; teamId: string | null }[] }>(
      gateway.url,
      '/admin/keys',
    );
    expect(keys.body.data.find((k) => k.userId === 'cleo')?.teamId).toBeNull();
  });

  it("shows and sets a user's budgets at /admin/users/:userId", async () => {
    const put = await adminFetch<{ userId: string; budgets: unknown[]; spend: unknown[] }>(
      gateway.url,
      '/admin/users/cleo',
      { method: 'PUT', json: { budgets: [{ amountUsd: '10', period: 'monthly' }] } },
    );
    expect(put.status).toBe(200);
    const got = await adminFetch<{ spend: { spentUsd: string; period: string }[]; teams: unknown[] }>(
      gateway.url,
      '/admin/users/cleo',
    );
    expect(got.body.spend).toEqual([expect.objectContaining({ period: 'monthly', spentUsd: '0.0021115' })]);
    expect(got.body.teams).toEqual([]);
    const cleared = await adminFetch<{ budgets: unknown[] }>(gateway.url, '/admin/users/cleo', {
      method: 'PUT',
      json: { budgets: null },
    });
    expect(cleared.body.budgets).toEqual([]);
  });
});
