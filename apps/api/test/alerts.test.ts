import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BudgetRule, BudgetSpend } from '@aigw/ai';
import { openAIFake } from '@aigw/ai/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import type { BudgetAlertBody } from '../src/alerts/alert-body.js';
import { verifyAlertSignature } from '../src/alerts/alert-signature.js';
import { BudgetAlerts } from '../src/alerts/budget-alerts.js';
import { DatabaseService } from '../src/database/database.service.js';
import { adminFetch } from './support/admin-api.js';
import { type Gateway, startGateway } from './support/gateway.js';

const GLOBAL_SECRET = 'whsec-global-0123456789abcdef';
const TEAM_SECRET = 'whsec-team-0123456789abcdef01';

/** One POST a receiver got. */
interface Received {
  at: number;
  headers: IncomingHttpHeaders;
  raw: string;
}

/** A local webhook receiver: records each POST and answers with `respond` (200 by default). */
class Receiver {
  readonly received: Received[] = [];
  respond: (res: ServerResponse, nth: number) => void = (res) => res.writeHead(200).end('ok');
  private readonly server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      this.received.push({
        at: Date.now(),
        headers: req.headers,
        raw: Buffer.concat(chunks).toString('utf8'),
      });
      this.respond(res, this.received.length);
    });
  });

  async listen(): Promise<string> {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/alerts`;
  }

  reset(): void {
    this.received.length = 0;
    this.respond = (res) => res.writeHead(200).end('ok');
  }

  bodies<T = BudgetAlertBody>(): T[] {
    return this.received.map((r) => JSON.parse(r.raw) as T);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    this.server.close();
  }
}

/** Polls `done` every 20 ms, for at most 5 s. */
async function waitFor(done: () => boolean): Promise<void> {
  for (const started = Date.now(); !done(); ) {
    if (Date.now() - started > 5000) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const MONTH_START = Date.UTC(2026, 11, 1);
const NEXT_MONTH = Date.UTC(2027, 0, 1);
let accounts = 0;

/** A monthly $1 budget of key `key-<n>` (a fresh account each call unless given), with `spentUsd` spent. */
function spend(
  spentUsd: string,
  overrides: Partial<Omit<BudgetSpend, 'rule'>> & { rule?: Partial<BudgetRule> } = {},
): BudgetSpend {
  const { rule, ...rest } = overrides;
  const id = rule?.id ?? 'key-1';
  return {
    account: `budget:key:${id}:monthly:${MONTH_START}:${++accounts}`,
    amountUsd: '1',
    spentUsd,
    periodStartMs: MONTH_START,
    resetsAtMs: NEXT_MONTH,
    apiKeyId: (rule?.scope ?? 'key') === 'key' ? id : 'key-1',
    userId: 'alice',
    ...rest,
    rule: { scope: 'key', id, amountUsd: '1', period: 'monthly', ...rule },
  };
}

describe('budget alerts (webhooks)', () => {
  let gateway: Gateway;
  let alerts: BudgetAlerts;
  const global = new Receiver();
  const team = new Receiver();
  let teamUrl: string;

  beforeAll(async () => {
    const globalUrl = await global.listen();
    teamUrl = await team.listen();
    gateway = await startGateway({ ALERT_WEBHOOK_URL: globalUrl, ALERT_WEBHOOK_SECRET: GLOBAL_SECRET });
    alerts = gateway.running.app.get(BudgetAlerts);
  });
  afterAll(async () => {
    await gateway?.close();
    await Promise.all([global.close(), team.close()]);
  });
  beforeEach(() => {
    global.reset();
    team.reset();
  });

  const deliveries = async (outcome: 'delivered' | 'failed') => {
    const text = await (await fetch(`${gateway.url}/metrics`)).text();
    const line = text
      .split('\n')
      .find((l) => l.startsWith(`aigw_alert_deliveries_total{outcome="${outcome}"} `));
    return line ? Number(line.split(' ')[1]) : 0;
  };

  it('sends one signed alert when 80% is reached, and nothing more in that period', async () => {
    const first = spend('0.75');
    alerts.onSpend(first);
    await alerts.settled();
    expect(global.received).toHaveLength(0);

    const reached = { ...first, spentUsd: '0.8' };
    alerts.onSpend(reached);
    await alerts.settled();
    expect(global.received).toHaveLength(1);
    const [delivery] = global.received;
    const body = JSON.parse(delivery?.raw ?? '') as BudgetAlertBody;
    expect(body).toEqual({
      type: 'budget.threshold_reached',
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      threshold: 0.8,
      budget: {
        scope: 'key',
        id: 'key-1',
        name: null,
        period: 'monthly',
        amountUsd: '1',
        spentUsd: '0.8',
        usedFraction: 0.8,
        periodStart: '2026-12-01T00:00:00.000Z',
        resetsAt: '2027-01-01T00:00:00.000Z',
      },
      apiKeyId: 'key-1',
      userId: 'alice',
      teamId: null,
    });
    expect(delivery?.headers['x-aigw-alert-id']).toBe(body.id);
    expect(delivery?.headers['content-type']).toBe('application/json');
    const signature = delivery?.headers['x-aigw-signature'] as string;
    expect(signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(verifyAlertSignature(GLOBAL_SECRET, signature, delivery?.raw ?? '')).toBe(true);
    expect(verifyAlertSignature(TEAM_SECRET, signature, delivery?.raw ?? '')).toBe(false);

    alerts.onSpend({ ...first, spentUsd: '0.95' });
    alerts.onSpend({ ...first, spentUsd: '1.2' });
    await alerts.settled();
    expect(global.received).toHaveLength(1);
    // The log names the budget and the outcome, never the secret or the signature.
    const logs = gateway.running.logs.text;
    expect(logs).toContain(`Budget alert ${body.id} (key key-1 monthly budget reached 0.8) delivered`);
    expect(logs).not.toContain(GLOBAL_SECRET);
    expect(logs).not.toContain(signature.split('v1=')[1]);
  });

  it('claims each alert once, even for spends told at the same time', async () => {
    const first = spend('0.9');
    for (let i = 0; i < 5; i++) alerts.onSpend({ ...first });
    await alerts.settled();
    expect(global.received).toHaveLength(1);
  });

  it('sends a separate alert for each threshold of the rule', async () => {
    const rule = { alertThresholds: [0.5, 0.9] };
    const first = spend('0.6', { rule });
    alerts.onSpend(first);
    await alerts.settled();
    expect(global.bodies().map((b) => b.threshold)).toEqual([0.5]);

    alerts.onSpend({ ...first, spentUsd: '0.85' });
    await alerts.settled();
    expect(global.received).toHaveLength(1);

    alerts.onSpend({ ...first, spentUsd: '0.9' });
    await alerts.settled();
    expect(global.bodies().map((b) => b.threshold)).toEqual([0.5, 0.9]);
    // Both at once when one call passes both.
    alerts.onSpend(spend('0.95', { rule }));
    await alerts.settled();
    expect(
      global
        .bodies()
        .slice(2)
        .map((b) => b.threshold)
        .sort(),
    ).toEqual([0.5, 0.9]);
  });

  it('sends again in a new period', async () => {
    const december = spend('0.85');
    alerts.onSpend(december);
    alerts.onSpend({ ...december, spentUsd: '0.9' });
    await alerts.settled();
    const january = {
      ...december,
      account: `${december.account}:next`,
      periodStartMs: NEXT_MONTH,
      resetsAtMs: Date.UTC(2027, 1, 1),
    };
    alerts.onSpend(january);
    alerts.onSpend({ ...january, spentUsd: '0.99' });
    await alerts.settled();
    expect(global.bodies().map((b) => b.budget.periodStart)).toEqual([
      '2026-12-01T00:00:00.000Z',
      '2027-01-01T00:00:00.000Z',
    ]);
  });

  it('retries a receiver that fails (5xx), with the same alert, until it takes it', async () => {
    global.respond = (res, nth) => res.writeHead(nth < 3 ? 500 : 200).end();
    const delivered = await deliveries('delivered');
    alerts.onSpend(spend('0.8'));
    await alerts.settled();
    expect(global.received).toHaveLength(3);
    const ids = new Set(global.bodies().map((b) => b.id));
    expect(ids.size).toBe(1);
    for (const r of global.received)
      expect(verifyAlertSignature(GLOBAL_SECRET, r.headers['x-aigw-signature'] as string, r.raw)).toBe(true);
    expect(await deliveries('delivered')).toBe(delivered + 1);
  });

  it('counts a delivery that fails after every retry in /metrics, and logs it without secrets', async () => {
    global.respond = (res) => res.writeHead(503).end();
    const failed = await deliveries('failed');
    alerts.onSpend(spend('0.81', { rule: { id: 'key-failing' } }));
    await alerts.settled();
    expect(global.received).toHaveLength(4);
    expect(await deliveries('failed')).toBe(failed + 1);
    const warning = gateway.running.logs.text
      .split('\n')
      .find((line) => line.includes('key key-failing monthly budget') && line.includes('not delivered'));
    expect(warning).toContain('after 4 attempt(s): HTTP 503');
    expect(warning).not.toContain(GLOBAL_SECRET);
  });

  it('alerts once when chat calls through the gateway pass 80% of a key’s monthly budget', async () => {
    // gpt-4o: $2.50 / $10 per 1M tokens; each call writes 12000 tokens: $0.1200525.
    gateway.openai.handler = openAIFake({
      usage: { prompt_tokens: 21, completion_tokens: 12_000, total_tokens: 12_021 },
    });
    const created = await adminFetch<{ id: string; key: string }>(gateway.url, '/admin/keys', {
      method: 'POST',
      json: { userId: 'erin', budgets: [{ amountUsd: '1', period: 'monthly' }] },
    });
    expect(created.status).toBe(201);
    const { id, key } = created.body;
    const chat = async (maxTokens: number) =>
      (
        await fetch(`${gateway.url}/v1/chat/completions`, {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          body: JSON.stringify({
            model: 'gpt-4o',
            max_tokens: maxTokens,
            messages: [{ role: 'user', content: 'Hi' }],
          }),
        })
      ).status;
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push(await chat(16_000));
    await alerts.settled();
    // $0.720315 spent: under 80%.
    expect(global.received).toHaveLength(0);
    statuses.push(await chat(16_000));
    // $0.8403675: past 80%. The listener is told once the call has settled.
    await waitFor(() => global.received.length > 0);
    await alerts.settled();
    // The rest of the budget is still spent (smaller calls), and no other alert comes.
    statuses.push(await chat(16_000), await chat(1000));
    await alerts.settled();
    await new Promise((resolve) => setTimeout(resolve, 200));
    await alerts.settled();
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 200, 402, 200]);
    expect(global.received).toHaveLength(1);
    const [delivery] = global.received;
    expect(
      verifyAlertSignature(
        GLOBAL_SECRET,
        delivery?.headers['x-aigw-signature'] as string,
        delivery?.raw ?? '',
      ),
    ).toBe(true);
    expect(global.bodies()[0]).toMatchObject({
      threshold: 0.8,
      budget: {
        scope: 'key',
        id,
        period: 'monthly',
        amountUsd: '1',
        spentUsd: '0.8403675',
        usedFraction: 0.8403,
      },
      apiKeyId: id,
      userId: 'erin',
      teamId: null,
    });
  });

  describe('a team webhook', () => {
    let teamId: string;
    let slackTeamId: string;
    let bareTeamId: string;

    beforeAll(async () => {
      const prisma = gateway.running.app.get(DatabaseService).prisma;
      teamId = (
        await prisma.team.create({
          data: { name: 'Acme', alertWebhookUrl: teamUrl, alertWebhookSecret: TEAM_SECRET },
        })
      ).id;
      slackTeamId = (
        await prisma.team.create({
          data: { name: 'Slackers', alertWebhookUrl: teamUrl, alertWebhookFormat: 'slack' },
        })
      ).id;
      bareTeamId = (await prisma.team.create({ data: { name: 'No hook' } })).id;
    });

    it('wins over the global one, for the team’s budget and its keys’ budgets, signed with its secret', async () => {
      alerts.onSpend(spend('0.9', { teamId }));
      alerts.onSpend(
        spend('40', {
          amountUsd: '50',
          teamId,
          rule: { scope: 'team', id: teamId, name: 'Acme', amountUsd: '50', period: 'weekly' },
        }),
      );
      await alerts.settled();
      expect(global.received).toHaveLength(0);
      expect(team.received).toHaveLength(2);
      for (const r of team.received)
        expect(verifyAlertSignature(TEAM_SECRET, r.headers['x-aigw-signature'] as string, r.raw)).toBe(true);
      const bodies = team.bodies().sort((a, b) => a.budget.scope.localeCompare(b.budget.scope));
      expect(bodies.map((b) => [b.budget.scope, b.budget.name, b.teamId])).toEqual([
        ['key', null, teamId],
        ['team', 'Acme', teamId],
      ]);
    });

    it('writes Slack’s { text } when the team asks for slack (signed with the global secret)', async () => {
      alerts.onSpend(
        spend('0.85', {
          teamId: slackTeamId,
          rule: { scope: 'team', id: slackTeamId, name: 'Slackers', period: 'daily' },
          resetsAtMs: Date.UTC(2026, 11, 8),
        }),
      );
      await alerts.settled();
      expect(team.received).toHaveLength(1);
      const [delivery] = team.received;
      const body = JSON.parse(delivery?.raw ?? '') as Record<string, unknown>;
      expect(Object.keys(body)).toEqual(['text']);
      expect(body.text).toBe(
        'Budget alert: team "Slackers" has spent $0.85 of its $1 daily budget (85%), reaching the 80% threshold ' +
          '(last call: user alice, key key-1); it resets at 2026-12-08T00:00:00.000Z.',
      );
      expect(
        verifyAlertSignature(
          GLOBAL_SECRET,
          delivery?.headers['x-aigw-signature'] as string,
          delivery?.raw ?? '',
        ),
      ).toBe(true);
    });

    it('leaves a team without a webhook to the global one', async () => {
      alerts.onSpend(spend('0.9', { teamId: bareTeamId }));
      await alerts.settled();
      expect(team.received).toHaveLength(0);
      expect(global.bodies().map((b) => b.teamId)).toEqual([bareTeamId]);
    });
  });
});

describe('budget alerts to a global Slack webhook without a secret', () => {
  let gateway: Gateway;
  let alerts: BudgetAlerts;
  const slack = new Receiver();
  const warn = jest.spyOn(Logger.prototype, 'warn');
  const log = jest.spyOn(Logger.prototype, 'log');

  beforeAll(async () => {
    gateway = await startGateway({ ALERT_WEBHOOK_URL: await slack.listen(), ALERT_WEBHOOK_FORMAT: 'slack' });
    alerts = gateway.running.app.get(BudgetAlerts);
  });
  afterAll(async () => {
    await gateway?.close();
    await slack.close();
    warn.mockRestore();
    log.mockRestore();
  });

  it('sends Slack’s { text }, unsigned, warning once that it is', async () => {
    alerts.onSpend(
      spend('0.8', {
        rule: { id: 'key-slack', name: 'ci-bot', period: 'total' },
        resetsAtMs: null,
        periodStartMs: 0,
      }),
    );
    alerts.onSpend(spend('0.9', { rule: { id: 'key-slack-2' } }));
    await alerts.settled();
    expect(slack.received).toHaveLength(2);
    for (const r of slack.received) {
      expect(Object.keys(JSON.parse(r.raw) as object)).toEqual(['text']);
      expect(r.headers['x-aigw-signature']).toBeUndefined();
      expect(r.headers['x-aigw-alert-id']).toMatch(/^[0-9a-f-]{36}$/);
    }
    expect(slack.bodies<{ text: string }>()[0]?.text).toBe(
      'Budget alert: key "ci-bot" has spent $0.8 of its $1 total budget (80%), reaching the 80% threshold ' +
        '(last call: user alice); it never resets.',
    );
    // Logs outside requests go to the first app's pino logger of the process, so they are
    // watched at Nest's Logger here.
    const warnings = warn.mock.calls
      .map(([message]) => String(message))
      .filter((m) => m.includes('unsigned'));
    expect(warnings).toEqual([
      'Budget alerts to the global webhook are sent unsigned: set ALERT_WEBHOOK_SECRET so receivers can verify them',
    ]);
  });

  it('waits for a delivery in flight when the app shuts down', async () => {
    slack.respond = (res) => setTimeout(() => res.writeHead(200).end(), 500);
    alerts.onSpend(spend('0.99', { rule: { id: 'key-shutdown' } }));
    const started = Date.now();
    await gateway.running.close();
    // Not held up long (a loaded machine is given room); the log below shows it waited for the delivery.
    expect(Date.now() - started).toBeLessThan(4500);
    expect(slack.received).toHaveLength(3);
    expect(log.mock.calls.map(([message]) => String(message))).toContainEqual(
      expect.stringMatching(
        /key key-shutdown monthly budget reached 0\.8\) delivered to the global webhook$/,
      ),
    );
  });
});
