import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import OpenAI from 'openai';
import { adminFetch } from './support/admin-api.js';
import { type Gateway, startGateway } from './support/gateway.js';

type Logs = { items: { requestId: string; userId: string }[] };
type Summary = { rows: { userId: string; requests: number }[] };

/**
 * An admin read of usage sees every call this process has answered, at once: the buffered
 * rows are written first. The writer here would otherwise hold them for a minute.
 */
describe('admin usage reads after a call (read-your-writes)', () => {
  let gateway: Gateway;
  beforeAll(async () => {
    gateway = await startGateway({ USAGE_FLUSH_INTERVAL_MS: '60000' });
  });
  afterAll(async () => {
    await gateway?.close();
  });

  it('logs, summary and users list the call just answered, without waiting', async () => {
    const { key } = await gateway.issueKey('ryw-user');
    const client = new OpenAI({ apiKey: key, baseURL: `${gateway.url}/v1` });
    for (let i = 1; i <= 3; i++) {
      const { response } = await client.chat.completions
        .create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] })
        .withResponse();
      const requestId = response.headers.get('x-request-id');
      const logs = await adminFetch<Logs>(gateway.url, '/admin/usage/logs?userId=ryw-user');
      expect(logs.body.items.map((r) => r.requestId)).toContain(requestId);
      expect(logs.body.items).toHaveLength(i);
      const summary = await adminFetch<Summary>(gateway.url, '/admin/usage/summary?groupBy=user');
      expect(summary.body.rows.find((r) => r.userId === 'ryw-user')?.requests).toBe(i);
    }
    const users = await adminFetch<{ users: { userId: string }[] }>(gateway.url, '/admin/usage/users');
    expect(users.status).toBe(200);
    expect(JSON.stringify(users.body)).toContain('ryw-user');
  });
});
