import { createTestDatabase, type TestDatabase } from '@aigw/db/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type RunningApp, startApp } from './support/start-app.js';

/** The dashboard page itself (its behaviour is tested in Chromium, dashboard*.e2e.test.ts). */
describe('GET /dashboard', () => {
  let testDb: TestDatabase;
  let running: RunningApp;
  beforeAll(async () => {
    testDb = await createTestDatabase();
    running = await startApp({ DATABASE_URL: testDb.url });
  });
  afterAll(async () => {
    await running?.close();
    await testDb?.drop();
  });

  it('is the page at /dashboard and /dashboard/ alike, never cached, locked to this origin, with its assets under /dashboard/', async () => {
    const [bare, slash] = await Promise.all([
      fetch(`${running.url}/dashboard`, { redirect: 'manual' }),
      fetch(`${running.url}/dashboard/`, { redirect: 'manual' }),
    ]);
    const html = await bare.text();
    expect(bare.status).toBe(200);
    expect(bare.headers.get('content-type')).toMatch(/^text\/html/);
    expect(bare.headers.get('cache-control')).toBe('no-cache');
    expect(bare.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(bare.headers.get('x-frame-options')).toBe('DENY');
    expect(slash.status).toBe(200);
    expect(await slash.text()).toBe(html);
    expect(slash.headers.get('content-security-policy')).toBe(bare.headers.get('content-security-policy'));

    // The page's assets are absolute, so they load from either address.
    const script = /<script[^>]+src="([^"]+)"/.exec(html)?.[1] ?? '';
    expect(script).toMatch(/^\/dashboard\/assets\//);
    const asset = await fetch(`${running.url}${script}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toContain('immutable');
  });
});
