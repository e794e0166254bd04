import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { type RunningApp, startApp, TEST_ADMIN_KEY } from './support/start-app.js';

// One app per file: nestjs-pino keeps a single root logger per process.
describe('structured logs', () => {
  const providerKey = 'sk-proj-THISisAfakeProviderKey0123456789';
  const userKey = 'sk-gw-THISisAfakeVirtualKey9876543210';
  let dir: string;
  let running: RunningApp;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'aigw-logs-'));
    running = await startApp({
      PGLITE_DIR: join(dir, 'db'),
      OPENAI_API_KEY: providerKey,
      DATABASE_URL: undefined,
    });
  }, 180_000);
  afterAll(async () => {
    await running?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('are one JSON object per line, with one line per request carrying its id, method, url and status', async () => {
    await fetch(`${running.url}/no-such-route`, { headers: { 'x-request-id': 'req-abc-123' } });
    await new Promise((r) => setTimeout(r, 50));
    const parsed = running.logs.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    const request = parsed.find((l) => (l.req as { url?: string } | undefined)?.url === '/no-such-route');
    expect(request).toMatchObject({
      clientRequestId: 'req-abc-123',
      req: { method: 'GET' },
      res: { statusCode: 404 },
    });
    expect(request?.reqId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/);
    expect(typeof request?.responseTime).toBe('number');
  });

  it('never contain a provider key, a caller key or the admin key, wherever they appear', async () => {
    await fetch(`${running.url}/no-such-route`, { headers: { authorization: `Bearer ${userKey}` } });
    await fetch(`${running.url}/no-such-route`, { headers: { 'x-api-key': userKey } });
    await fetch(`${running.url}/health`, { headers: { authorization: `Bearer ${TEST_ADMIN_KEY}` } });
    // A careless message that embeds secrets must come out scrubbed too.
    new Logger('Careless').error(
      `upstream said: invalid key ${providerKey}; caller ${userKey}; admin ${TEST_ADMIN_KEY}`,
    );
    await new Promise((r) => setTimeout(r, 50));

    const text = running.logs.text;
    expect(text).toContain('upstream said: invalid key');
    for (const secret of [providerKey, userKey, TEST_ADMIN_KEY]) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain(secret.slice(-16));
    }
  });
});
