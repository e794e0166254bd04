import { createHash } from 'node:crypto';
import { createTestDatabase, setDatabaseReachable, type TestDatabase } from '@aigw/db/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DatabaseService } from '../src/database/database.service.js';
import { ApiKeysService } from '../src/keys/api-keys.service.js';
import { adminFetch, expectOpenAIError } from './support/admin-api.js';
import { type RunningApp, startApp } from './support/start-app.js';

interface IssuedKey {
  id: string;
  key: string;
  keyPrefix: string;
  userId: string;
  name: string | null;
  budgetUsd: string | null;
  rpmLimit: number | null;
  expiresAt: string | null;
  createdAt: string;
  revokedAt: string | null;
}

describe('admin API: /admin/keys', () => {
  let testDb: TestDatabase;
  let running: RunningApp;
  let url: string;
  beforeAll(async () => {
    testDb = await createTestDatabase();
    running = await startApp({ DATABASE_URL: testDb.url });
    url = running.url;
  });
  afterAll(async () => {
    await running?.close();
    await testDb?.drop();
  });

  const issue = (json: unknown) => adminFetch<IssuedKey>(url, '/admin/keys', { method: 'POST', json });

  it('issues a key (201) shown once, and stores only its hash', async () => {
    const res = await issue({ userId: 'alice', name: 'laptop', budgetUsd: '12.50', rpmLimit: 60 });
    expect(res.status).toBe(201);
    const created = res.body;
    expect(created).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      key: expect.stringMatching(/^sk-gw-[A-Za-z0-9_-]{20,}$/),
      keyPrefix: created.key.slice(0, 12),
      userId: 'alice',
      teamId: null,
      name: 'laptop',
      budgetUsd: '12.5',
      budgets: [{ amountUsd: '12.5', period: 'total', alertThresholds: [0.8] }],
      rpmLimit: 60,
      tpmLimit: null,
      maxParallel: null,
      allowedModels: [],
      expiresAt: null,
      createdAt: expect.any(String),
      revokedAt: null,
    });
    expect(new Date(created.createdAt).toISOString()).toBe(created.createdAt);

    const prisma = running.app.get(DatabaseService).prisma;
    const rows = await prisma.$queryRaw<
      Record<string, unknown>[]
    >`SELECT * FROM "ApiKey" WHERE id = ${created.id}::uuid`;
    expect(rows).toHaveLength(1);
    const row = rows[0] ?? {};
    for (const [column, value] of Object.entries(row)) {
      expect([column, String(value).includes(created.key)]).toEqual([column, false]);
    }
    expect(row.keyHash).toBe(createHash('sha256').update(created.key).digest('hex'));
    // The key works until revoked.
    expect(await running.app.get(ApiKeysService).verify(created.key)).toMatchObject({ userId: 'alice' });
  });

  it('takes budgetUsd as a decimal string or a number, exactly; other fields are optional', async () => {
    const cases: [unknown, string | null][] = [
      ['0', '0'],
      [0, '0'],
      [0.1, '0.1'],
      [1e-7, '0.0000001'],
      ['999999999999.999999999999', '999999999999.999999999999'],
      [' 3.25 ', '3.25'],
      [null, null],
      [undefined, null],
    ];
    for (const [budgetUsd, stored] of cases) {
      const res = await issue({ userId: 'bob', budgetUsd });
      expect([budgetUsd, res.status, res.body.budgetUsd]).toEqual([budgetUsd, 201, stored]);
      expect(res.body).toMatchObject({ name: null, rpmLimit: null });
    }
  });

  it('lists keys in { data } without the key or its hash', async () => {
    const created = (await issue({ userId: 'carol', name: 'ci' })).body;
    const res = await adminFetch<{ data: Record<string, unknown>[] }>(url, '/admin/keys');
    expect(res.status).toBe(200);
    const listed = res.body.data.find((k) => k.id === created.id);
    expect(listed).toEqual({
      id: created.id,
      keyPrefix: created.keyPrefix,
      userId: 'carol',
      teamId: null,
      name: 'ci',
      budgetUsd: null,
      budgets: [],
      rpmLimit: null,
      tpmLimit: null,
      maxParallel: null,
      allowedModels: [],
      expiresAt: null,
      createdAt: created.createdAt,
      revokedAt: null,
    });
    const text = JSON.stringify(res.body);
    expect(text).not.toContain(created.key);
    expect(text).not.toContain(createHash('sha256').update(created.key).digest('hex'));
    for (const entry of res.body.data) {
      expect(entry).not.toHaveProperty('key');
      expect(entry).not.toHaveProperty('keyHash');
    }
  });

  it('revokes a key: 200 with its view, and the key no longer verifies', async () => {
    const created = (await issue({ userId: 'dave' })).body;
    // Verified once, so it sits in the key cache: the revoke must apply all the same.
    expect(await running.app.get(ApiKeysService).verify(created.key)).toMatchObject({ userId: 'dave' });
    const res = await adminFetch<IssuedKey>(url, `/admin/keys/${created.id}`, { method: 'DELETE' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: created.id, userId: 'dave', revokedAt: expect.any(String) });
    expect(res.body).not.toHaveProperty('key');
    expect(await running.app.get(ApiKeysService).verify(created.key)).toBeNull();
    // Gone from the list, but for ?includeRevoked=true; still there by its id.
    const listed = (await adminFetch<{ data: IssuedKey[] }>(url, '/admin/keys')).body.data;
    expect(listed.find((k) => k.id === created.id)).toBeUndefined();
    const all = (await adminFetch<{ data: IssuedKey[] }>(url, '/admin/keys?includeRevoked=true')).body.data;
    expect(all.find((k) => k.id === created.id)?.revokedAt).toBe(res.body.revokedAt);
    const byId = await adminFetch<IssuedKey>(url, `/admin/keys/${created.id}`);
    expect(byId).toMatchObject({ status: 200, body: { id: created.id, revokedAt: res.body.revokedAt } });
    // Revoking again changes nothing.
    const again = await adminFetch<IssuedKey>(url, `/admin/keys/${created.id}`, { method: 'DELETE' });
    expect(again).toEqual({ status: 200, body: res.body });
  });

  it('lists only keys not revoked (expired ones too); ?includeRevoked=true or 1 lists every key', async () => {
    const userId = 'listing';
    const live = (await issue({ userId, name: 'live' })).body;
    const expired = (await issue({ userId, name: 'expired', expiresAt: '2020-01-01T00:00:00Z' })).body;
    const revoked = (await issue({ userId, name: 'revoked' })).body;
    const revokedAt = (await adminFetch<IssuedKey>(url, `/admin/keys/${revoked.id}`, { method: 'DELETE' }))
      .body.revokedAt;
    expect(revokedAt).toEqual(expect.any(String));
    const listOf = async (query: string) => {
      const res = await adminFetch<{ data: IssuedKey[] }>(url, `/admin/keys?userId=${userId}${query}`);
      expect([query, res.status]).toEqual([query, 200]);
      return res.body.data.map((k) => [k.name, k.revokedAt]);
    };
    // Newest first; an expired key stays listed (it can be extended), a revoked one does not.
    const notRevoked = [
      ['expired', null],
      ['live', null],
    ];
    const every = [['revoked', revokedAt], ...notRevoked];
    for (const query of ['', '&includeRevoked=false', '&includeRevoked=0']) {
      expect(await listOf(query)).toEqual(notRevoked);
    }
    for (const query of ['&includeRevoked=true', '&includeRevoked=1']) {
      expect(await listOf(query)).toEqual(every);
    }
    expect(live.id).not.toBe(expired.id);

    // Without a filter too, and with a team's filter.
    const all = (await adminFetch<{ data: IssuedKey[] }>(url, '/admin/keys')).body.data;
    expect(all.length).toBeGreaterThan(0);
    expect(all.filter((k) => k.revokedAt !== null)).toEqual([]);
    const team = (
      await adminFetch<{ id: string }>(url, '/admin/teams', {
        method: 'POST',
        json: { name: 'listing-team' },
      })
    ).body;
    const teamKeys = [
      (await issue({ userId: 'listing-a', teamId: team.id })).body,
      (await issue({ userId: 'listing-b', teamId: team.id })).body,
    ];
    await adminFetch(url, `/admin/keys/${teamKeys[0]?.id}`, { method: 'DELETE' });
    const ofTeam = async (query: string) =>
      (await adminFetch<{ data: IssuedKey[] }>(url, `/admin/keys?teamId=${team.id}${query}`)).body.data.map(
        (k) => k.userId,
      );
    expect(await ofTeam('')).toEqual(['listing-b']);
    expect(await ofTeam('&includeRevoked=true')).toEqual(['listing-b', 'listing-a']);
  });

  it.each([
    ['yes', /includeRevoked: must be true or false \(or 1 or 0\)/],
    ['TRUE', /includeRevoked: must be true or false/],
    ['', /includeRevoked: must be true or false/],
  ])('refuses ?includeRevoked=%s (400)', async (value, message) => {
    const res = await adminFetch(url, `/admin/keys?includeRevoked=${value}`);
    expect(expectOpenAIError(res, 400)).toMatch(message);
  });

  it('takes a date alone as expiresAt: the end of that day (the next midnight UTC), on POST and PATCH', async () => {
    const created = await issue({ userId: 'dated', expiresAt: '2099-01-01' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ expiresAt: '2099-01-02T00:00:00.000Z' });
    const patched = await adminFetch<IssuedKey>(url, `/admin/keys/${created.body.id}`, {
      method: 'PATCH',
      json: { expiresAt: '2024-02-28' },
    });
    expect(patched).toMatchObject({ status: 200, body: { expiresAt: '2024-02-29T00:00:00.000Z' } });
    const yearEnd = await adminFetch<IssuedKey>(url, `/admin/keys/${created.body.id}`, {
      method: 'PATCH',
      json: { expiresAt: '2099-12-31' },
    });
    expect(yearEnd.body).toMatchObject({ expiresAt: '2100-01-01T00:00:00.000Z' });
    // A date-time stays that very instant.
    const exact = await adminFetch<IssuedKey>(url, `/admin/keys/${created.body.id}`, {
      method: 'PATCH',
      json: { expiresAt: '2099-01-01T00:00:00+02:00' },
    });
    expect(exact.body).toMatchObject({ expiresAt: '2098-12-31T22:00:00.000Z' });

    // A key that expires "today" works all day; one that expired "yesterday" does not.
    const keys = running.app.get(ApiKeysService);
    const now = Date.now();
    const today = new Date(now).toISOString().slice(0, 10);
    const yesterday = new Date(now - 86_400_000).toISOString().slice(0, 10);
    const todays = (await issue({ userId: 'dated-today', expiresAt: today })).body;
    expect(Date.parse(todays.expiresAt as string)).toBe(Date.parse(`${today}T00:00:00Z`) + 86_400_000);
    expect(await keys.verify(todays.key)).toMatchObject({ userId: 'dated-today' });
    const yesterdays = (await issue({ userId: 'dated-yesterday', expiresAt: yesterday })).body;
    expect(yesterdays.expiresAt).toBe(`${today}T00:00:00.000Z`);
    expect(await keys.verify(yesterdays.key)).toBeNull();
  });

  it('serves a verified key from memory: no database query per request', async () => {
    const keys = running.app.get(ApiKeysService);
    const created = (await issue({ userId: 'erin', rpmLimit: 5 })).body;
    const unknown = 'sk-gw-thisKeyWasNeverIssuedByTheAdminApi000000';
    expect(await keys.verify(created.key)).toMatchObject({ userId: 'erin', rpmLimit: 5 });
    await setDatabaseReachable(testDb.name, false);
    try {
      // The database refuses every connection now: only the cache can answer.
      expect(await keys.verify(created.key)).toMatchObject({
        apiKeyId: created.id,
        userId: 'erin',
        teamId: null,
        budgetUsd: null,
        rpmLimit: 5,
        requestRates: [{ scope: 'key', id: created.id, value: 5 }],
      });
      await expect(keys.verify(unknown)).rejects.toThrow();
    } finally {
      await setDatabaseReachable(testDb.name, true);
    }
    expect(await keys.verify(unknown)).toBeNull();
  });

  it('applies an edit of a cached key from its next request', async () => {
    const keys = running.app.get(ApiKeysService);
    const created = (await issue({ userId: 'grace', rpmLimit: 5 })).body;
    expect(await keys.verify(created.key)).toMatchObject({ rpmLimit: 5, budgetUsd: null });
    const res = await adminFetch(url, `/admin/keys/${created.id}`, {
      method: 'PATCH',
      json: { rpmLimit: 7, budgetUsd: '2.5' },
    });
    expect(res.status).toBe(200);
    expect(await keys.verify(created.key)).toMatchObject({ rpmLimit: 7, budgetUsd: '2.5' });
  });

  it('answers 404 for an unknown id and 400 for an id that is not a UUID', async () => {
    const missing = await adminFetch(url, '/admin/keys/0190a0b0-0000-7000-8000-000000000000', {
      method: 'DELETE',
    });
    expect(expectOpenAIError(missing, 404)).toContain('0190a0b0-0000-7000-8000-000000000000');
    const bad = await adminFetch(url, '/admin/keys/not-a-uuid', { method: 'DELETE' });
    expect(expectOpenAIError(bad, 400)).toMatch(/id: .*UUID/);
  });

  describe('refuses without the admin key (401, OpenAI format)', () => {
    // Always three entries: jest reads a test function with more parameters than values as `done`-style.
    const routes: [string, string, unknown][] = [
      ['POST', '/admin/keys', { userId: 'mallory' }],
      ['GET', '/admin/keys', undefined],
      ['DELETE', '/admin/keys/0190a0b0-0000-7000-8000-000000000000', undefined],
      ['GET', '/admin/usage/summary', undefined],
      ['GET', '/admin/usage/logs', undefined],
    ];

    it.each(routes)('%s %s', async (method, path, json) => {
      const userKey = (await issue({ userId: 'mallory' })).body.key;
      for (const auth of [
        null,
        'Bearer wrong-admin-key',
        `Bearer ${userKey}`,
        'sk-admin-test-0123456789abcdef',
      ]) {
        const res = await adminFetch(url, path, { method, json, auth });
        expect([auth, res.status]).toEqual([auth, 401]);
        expect(expectOpenAIError(res, 401)).toContain('ADMIN_API_KEY');
      }
    });

    it('creates nothing when refused', async () => {
      await adminFetch(url, '/admin/keys', { method: 'POST', json: { userId: 'eve' }, auth: 'Bearer nope' });
      const listed = (await adminFetch<{ data: IssuedKey[] }>(url, '/admin/keys')).body.data;
      expect(listed.filter((k) => k.userId === 'eve')).toEqual([]);
    });
  });

  describe('bad bodies: 400 in OpenAI format naming the field', () => {
    const cases: [string, unknown, RegExp][] = [
      ['missing userId', { name: 'x' }, /userId: is required/],
      ['empty userId', { userId: '' }, /userId: must not be empty/],
      ['userId too long', { userId: 'u'.repeat(201) }, /userId: must be at most 200/],
      ['userId not a string', { userId: 42 }, /userId: must be a string/],
      ['rpmLimit -1', { userId: 'a', rpmLimit: -1 }, /rpmLimit: must be a positive integer/],
      ['rpmLimit 0', { userId: 'a', rpmLimit: 0 }, /rpmLimit: must be a positive integer/],
      ['rpmLimit 1.5', { userId: 'a', rpmLimit: 1.5 }, /rpmLimit: must be a positive integer/],
      ['rpmLimit as text', { userId: 'a', rpmLimit: '10' }, /rpmLimit: must be a positive integer/],
      ['budgetUsd abc', { userId: 'a', budgetUsd: 'abc' }, /budgetUsd: expected a USD amount >= 0/],
      ['budgetUsd negative', { userId: 'a', budgetUsd: -1 }, /budgetUsd: expected a USD amount >= 0/],
      ['budgetUsd "-1"', { userId: 'a', budgetUsd: '-1' }, /budgetUsd: expected a USD amount >= 0/],
      ['budgetUsd too precise', { userId: 'a', budgetUsd: '0.0000000000001' }, /budgetUsd: .*12 digits/],
      ['budgetUsd too large', { userId: 'a', budgetUsd: '1000000000000' }, /budgetUsd: .*12 digits/],
      ['an unknown field', { userId: 'a', budget_usd: '5' }, /Unrecognized key: "budget_usd"/],
      [
        'expiresAt not a day',
        { userId: 'a', expiresAt: '2099-02-30' },
        /expiresAt: must be an ISO 8601 date-time .* or a date such as 2027-01-31 \(the end of that day, UTC\)/,
      ],
      [
        'expiresAt without offset',
        { userId: 'a', expiresAt: '2099-01-01T10:00:00' },
        /expiresAt: must be an ISO 8601/,
      ],
      ['expiresAt a number', { userId: 'a', expiresAt: 4070908800000 }, /expiresAt: must be an ISO 8601/],
      ['an array', [{ userId: 'a' }], /expected object/],
    ];

    it.each(cases)('%s', async (_name, json, message) => {
      const res = await issue(json);
      expect(expectOpenAIError(res, 400)).toMatch(message);
      expect((res.body as unknown as { error: { type: string } }).error.type).toBe('invalid_request_error');
    });

    it('a body that is not JSON', async () => {
      const res = await adminFetch(url, '/admin/keys', { method: 'POST', body: '{"userId": ' });
      expect(expectOpenAIError(res, 400)).toMatch(/JSON/);
    });

    it('stores nothing for a refused body', async () => {
      await issue({ userId: 'frank', rpmLimit: -1 });
      const listed = (await adminFetch<{ data: IssuedKey[] }>(url, '/admin/keys')).body.data;
      expect(listed.filter((k) => k.userId === 'frank')).toEqual([]);
    });
  });
});
