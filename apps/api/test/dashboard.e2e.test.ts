import { mkdir, readFile } from 'node:fs/promises';
import { AiRuntime } from '@aigw/ai';
import { createTestDatabase, type TestDatabase } from '@aigw/db/testing';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { DatabaseService } from '../src/database/database.service.js';
import { seedDemoData } from '../src/seed/seed-demo-data.js';
import { adminFetch } from './support/admin-api.js';
import { ARTIFACTS, describeInBrowser, launchChromium, waitForLogIds } from './support/browser.js';
import { type RunningApp, startApp, TEST_ADMIN_KEY } from './support/start-app.js';

interface Measures {
  requests: number;
  failures: number;
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  costUsd: string;
}
interface Summary {
  from: string;
  to: string;
  rows: (Measures & Record<string, string | number>)[];
  totals: Measures;
}
interface Reliability {
  totals: { failureRate: number | null };
  providers: { provider: string }[];
}

/** What the page must show for a number of the API, formatted independently of the page's code. */
const expected = {
  int: (n: number) => n.toLocaleString('en-US'),
  percent: (fraction: number | null) => (fraction === null ? '—' : `${(fraction * 100).toFixed(2)}%`),
  /** The decimal string with its trailing zeros dropped (at least two decimals). */
  usd: (value: string) => {
    const [whole, fraction = ''] = value.split('.');
    return `${whole}.${fraction.replace(/0+$/, '').padEnd(2, '0')}`;
  },
};

describeInBrowser('the admin dashboard in headless Chromium', () => {
  let testDb: TestDatabase;
  let running: RunningApp;
  let browser: Browser;
  const problems: string[] = [];

  beforeAll(async () => {
    await mkdir(ARTIFACTS, { recursive: true });
    testDb = await createTestDatabase();
    // No provider key: the first-run setup, with the demo provider on.
    running = await startApp({ DATABASE_URL: testDb.url });
    await seedDemoData(running.app.get(DatabaseService).prisma, { now: new Date() });
    browser = await launchChromium();
    // Seeding a month of rows and starting a browser can take over a minute on a busy machine.
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await running?.close();
    await testDb?.drop();
  });

  /** A fresh browser context (its own sessionStorage), recording page errors and CSP violations. */
  async function openPage(viewport: {
    width: number;
    height: number;
  }): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: running.url });
    const page = await context.newPage();
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      // A refused key is an expected 401; the browser logs the failed request.
      if (message.type() === 'error' && !/status of 401/.test(message.text()))
        problems.push(`console: ${message.text()}`);
    });
    await page.goto(`${running.url}/dashboard`);
    return { context, page };
  }

  async function signIn(page: Page, key = TEST_ADMIN_KEY): Promise<void> {
    await page.getByTestId('admin-key-input').fill(key);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  const shot = (page: Page, name: string, fullPage = true) =>
    page.screenshot({ path: `${ARTIFACTS}${name}.png`, fullPage });

  /** The range the page says it shows. */
  async function shownRange(page: Page): Promise<{ from: string; to: string }> {
    const range = page.getByTestId('range');
    return {
      from: (await range.getAttribute('data-from')) ?? '',
      to: (await range.getAttribute('data-to')) ?? '',
    };
  }

  /** Waits for the totals of the range the page shows, then checks each against the API for that range. */
  async function expectTotalsMatchApi(page: Page): Promise<{ from: string; to: string; summary: Summary }> {
    const range = await shownRange(page);
    await page
      .locator(`[data-testid=totals][data-state=ready][data-from="${range.from}"][data-to="${range.to}"]`)
      .waitFor();
    const query = `from=${range.from}&to=${range.to}`;
    const summary = (await adminFetch<Summary>(running.url, `/admin/usage/summary?${query}`)).body;
    const reliability = (await adminFetch<Reliability>(running.url, `/admin/usage/providers?${query}`)).body;
    const cost = page.getByTestId('total-cost');
    expect(await cost.getAttribute('data-value')).toBe(summary.totals.costUsd);
    expect((await cost.textContent())?.replace(/[$,]/g, '')).toBe(expected.usd(summary.totals.costUsd));
    expect(await page.getByTestId('total-requests').textContent()).toBe(
      expected.int(summary.totals.requests),
    );
    expect(await page.getByTestId('total-failures').textContent()).toBe(
      `${expected.int(summary.totals.failures)} failed`,
    );
    expect(await page.getByTestId('total-tokens').textContent()).toBe(
      expected.int(summary.totals.totalTokens),
    );
    expect(await page.getByTestId('total-token-split').textContent()).toBe(
      `${expected.int(summary.totals.promptTokens)} in · ${expected.int(summary.totals.completionTokens)} out`,
    );
    expect(await page.getByTestId('failure-rate').textContent()).toBe(
      expected.percent(reliability.totals.failureRate),
    );
    return { ...range, summary };
  }

  let desktop: Page;

  it('says clearly that a wrong admin key was refused, instead of a blank page', async () => {
    const { page } = await openPage({ width: 1440, height: 900 });
    desktop = page;
    expect(await page.title()).toMatch(/aigw/);
    await signIn(page, 'not-the-admin-key-at-all');
    const error = page.getByTestId('login-error');
    await error.waitFor();
    expect(await error.textContent()).toMatch(/admin key was refused \(401\).*ADMIN_API_KEY/);
    expect(await page.getByTestId('admin-key-input').isVisible()).toBe(true);
    await shot(page, 'wrong-key', false);
  });

  it('signs in with the admin key and shows the totals of the API summary for the same range', async () => {
    const page = desktop;
    await signIn(page);
    const { from, to, summary } = await expectTotalsMatchApi(page);
    expect(summary.totals.requests).toBeGreaterThan(1000);
    // The first run's demo provider is announced.
    expect(await page.getByTestId('demo-banner').textContent()).toMatch(/Demo provider on/);
    // The chart stacks the API's providers; the top users are the API's, in its order.
    const byDayProvider = (
      await adminFetch<Summary>(
        running.url,
        `/admin/usage/summary?from=${from}&to=${to}&groupBy=day,provider`,
      )
    ).body;
    const chart = page.locator('[data-testid=cost-chart][data-state=ready][data-by=provider]');
    await chart.waitFor();
    expect(JSON.parse((await chart.getAttribute('data-series')) ?? '[]')).toEqual(
      [...new Set(byDayProvider.rows.map((r) => r.provider))].sort(),
    );
    expect(await page.locator('[data-testid=cost-chart] canvas').boundingBox()).toMatchObject({
      height: expect.any(Number),
    });
    const users = (
      await adminFetch<{ rows: { userId: string; costUsd: string }[] }>(
        running.url,
        `/admin/usage/users?from=${from}&to=${to}&limit=10`,
      )
    ).body;
    const rows = page.locator('[data-testid=top-users] tbody tr');
    expect(await rows.evaluateAll((trs) => trs.map((tr) => (tr as HTMLElement).dataset.user))).toEqual(
      users.rows.map((u) => u.userId),
    );
    const firstCost = await rows.first().locator('td').nth(1).locator('.usd').getAttribute('data-value');
    expect(firstCost).toBe(users.rows[0]?.costUsd);
    // Nothing on the page shows the admin key.
    expect(await page.content()).not.toContain(TEST_ADMIN_KEY);
    await page.locator('[data-testid=providers] tbody tr').first().waitFor();
    await shot(page, 'overview-desktop');
    // Stacked by model on demand.
    await page.getByTestId('chart-by-model').click();
    await page.locator('[data-testid=cost-chart][data-state=ready][data-by=model]').waitFor();
    const series = JSON.parse((await page.getByTestId('cost-chart').getAttribute('data-series')) ?? '[]');
    expect(series).toEqual(expect.arrayContaining(['claude-sonnet-4-5', 'gpt-4o-mini', 'demo-chat']));
    await page.getByTestId('chart-by-provider').click();
    await page.locator('[data-testid=cost-chart][data-state=ready][data-by=provider]').waitFor();
  });

  it("shows cost by request type: every type, each with the API summary's requests and cost", async () => {
    const page = desktop;
    const { from, to } = await shownRange(page);
    const panel = page.locator(`[data-testid=request-types][data-from="${from}"][data-to="${to}"]`);
    await panel.waitFor();
    const byType = (
      await adminFetch<Summary>(running.url, `/admin/usage/summary?from=${from}&to=${to}&groupBy=requestType`)
    ).body;
    // The demo rows are chat and embeddings (at least); every type has its line, those without rows at zero.
    expect(byType.rows.map((r) => r.requestType)).toEqual(expect.arrayContaining(['chat', 'embedding']));
    const lines = panel.locator('tbody tr');
    const shown = await lines.evaluateAll((trs) => trs.map((tr) => (tr as HTMLElement).dataset.requestType));
    expect(shown.slice(0, 7)).toEqual([
      'chat',
      'embedding',
      'responses',
      'image',
      'transcription',
      'translation',
      'speech',
    ]);
    for (const type of shown) {
      const row = byType.rows.find((r) => r.requestType === type);
      const line = panel.locator(`tr[data-request-type="${type}"]`);
      expect(await line.getByTestId('request-type-requests').textContent()).toMatch(
        new RegExp(`^${expected.int(row?.requests ?? 0)}( |$)`),
      );
      expect(await line.getByTestId('request-type-cost').locator('.usd').getAttribute('data-value')).toBe(
        row?.costUsd ?? '0.000000000000',
      );
    }
    expect(await panel.locator('tr[data-request-type="embedding"] td').first().textContent()).toBe(
      'Embeddings',
    );
  });

  it('switches ranges (24 h, 30 d, custom days), the totals following the API each time', async () => {
    const page = desktop;
    const seen = new Set<string>();
    for (const label of ['24 h', '30 d']) {
      await page.getByRole('button', { name: label, exact: true }).click();
      const { from, to } = await expectTotalsMatchApi(page);
      const hours = (Date.parse(to) - Date.parse(from)) / 3_600_000;
      expect(hours).toBe(label === '24 h' ? 24 : 720);
      seen.add(from);
    }
    await shot(page, 'overview-30d');
    // The README's picture: a seeded month at a glance (docs/dashboard.png is a copy of it).
    await page.locator('[data-testid=cost-chart][data-state=ready]').waitFor();
    await page.screenshot({
      path: `${ARTIFACTS}dashboard-readme.png`,
      clip: { x: 0, y: 0, width: 1440, height: 1000 },
    });
    await page.getByRole('button', { name: 'Custom', exact: true }).click();
    const day = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10);
    await page.getByTestId('range-from').fill(day(10));
    await page.getByTestId('range-to').fill(day(4));
    await page.getByRole('button', { name: 'Apply' }).click();
    const custom = await expectTotalsMatchApi(page);
    expect(custom.from).toBe(`${day(10)}T00:00:00.000Z`);
    expect(custom.to).toBe(`${day(3)}T00:00:00.000Z`);
    seen.add(custom.from);
    expect(seen.size).toBe(3);
    await shot(page, 'overview-custom');
  });

  it("exports the summary as CSV: the API's own file for the range", async () => {
    const page = desktop;
    const { from, to } = await shownRange(page);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('export-csv').click(),
    ]);
    const file = await readFile((await download.path()) as string, 'utf8');
    const res = await fetch(
      `${running.url}/admin/usage/summary?from=${from}&to=${to}&groupBy=day,user,provider,model&format=csv`,
      { headers: { authorization: `Bearer ${TEST_ADMIN_KEY}` } },
    );
    expect(file).toBe(await res.text());
    expect(download.suggestedFilename()).toMatch(/^aigw-usage_.*\.csv$/);
    expect(file.split('\r\n')[0]).toBe(
      'day,userId,provider,model,requests,failures,promptTokens,completionTokens,totalTokens,costUsd,unpricedRequests',
    );
  });

  it('filters the logs and pages through them with the cursor, as /admin/usage/logs does', async () => {
    const page = desktop;
    await page.getByRole('button', { name: '7 d', exact: true }).click();
    const { from, to } = await shownRange(page);
    await page.getByRole('link', { name: 'Logs' }).click();
    await page.locator('[data-testid=logs-table] tbody tr').first().waitFor();
    await page.getByTestId('filter-user').fill('support-bot');
    await page.getByTestId('filter-provider').selectOption('anthropic');
    await page.getByTestId('filter-limit').selectOption('25');
    await page.getByTestId('apply-filters').click();
    const query = `from=${from}&to=${to}&userId=support-bot&provider=anthropic&limit=25`;
    type LogsPage = { items: { id: string; userId: string; provider: string }[]; nextCursor: string | null };
    const first = (await adminFetch<LogsPage>(running.url, `/admin/usage/logs?${query}`)).body;
    expect(first.items).toHaveLength(25);
    expect(first.items.every((i) => i.userId === 'support-bot' && i.provider === 'anthropic')).toBe(true);
    await waitForLogIds(
      page,
      first.items.map((i) => i.id),
    );
    await shot(page, 'logs-filtered', false);

    await page.getByTestId('page-older').click();
    const second = (
      await adminFetch<LogsPage>(running.url, `/admin/usage/logs?${query}&cursor=${first.nextCursor}`)
    ).body;
    await waitForLogIds(
      page,
      second.items.map((i) => i.id),
    );
    expect(await page.getByTestId('logs-table').getAttribute('data-page')).toBe('2');
    await page.getByTestId('page-newer').click();
    await waitForLogIds(
      page,
      first.items.map((i) => i.id),
    );
    // A row opens to its details.
    await page.locator(`[data-log-id="${first.items[0]?.id}"]`).click();
    expect(await page.locator('.log-details').textContent()).toContain('Request id');
  });

  it('issues a key (shown once, copyable), which works for a call that then shows up; then revokes it', async () => {
    const page = desktop;
    await page.getByRole('link', { name: 'Keys' }).click();
    await page.getByTestId('issue-user').fill('e2e-newcomer');
    await page.getByTestId('issue-name').fill('browser test');
    await page.getByTestId('issue-budget').fill('2.5');
    await page.getByTestId('issue-rpm').fill('30');
    await page.getByTestId('issue-submit').click();
    const dialog = page.getByTestId('new-key-dialog');
    await dialog.waitFor();
    const key = (await page.getByTestId('new-key-value').inputValue()).trim();
    expect(key).toMatch(/^sk-gw-/);
    await page.getByTestId('copy-key').click();
    await page
      .getByTestId('copy-status')
      .filter({ hasText: /Copied|Selected/ })
      .waitFor();
    if ((await page.getByTestId('copy-status').textContent()) === 'Copied.') {
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(key);
    }
    await shot(page, 'key-issued', false);
    await page.getByTestId('close-new-key').click();
    await dialog.waitFor({ state: 'detached' });
    // Shown once: gone from the page with the dialog.
    expect(await page.content()).not.toContain(key);
    const keys = (
      await adminFetch<{ data: { id: string; userId: string; rpmLimit: number }[] }>(
        running.url,
        '/admin/keys',
      )
    ).body.data;
    const issued = keys.find((k) => k.userId === 'e2e-newcomer');
    expect(issued).toMatchObject({ rpmLimit: 30 });
    const row = page.locator(`[data-key-id="${issued?.id}"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain('$2.50');

    // The key works: a call through the demo provider.
    const call = await fetch(`${running.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'demo/demo-chat',
        messages: [{ role: 'user', content: 'Hello from Chromium' }],
      }),
    });
    expect(call.status).toBe(200);
    expect(call.headers.get('x-aigw-provider')).toBe('demo');
    await running.app.get(AiRuntime).writer?.flush();
    const logged = (
      await adminFetch<{ items: { id: string; costUsd: string }[] }>(
        running.url,
        '/admin/usage/logs?userId=e2e-newcomer',
      )
    ).body.items;
    expect(logged).toHaveLength(1);

    // It shows up: in the logs, with the API's cost, and among the users with its budget.
    await page.getByTestId('refresh').click();
    await page.getByRole('link', { name: 'Logs' }).click();
    await page.getByTestId('filter-user').fill('e2e-newcomer');
    await page.getByTestId('filter-provider').selectOption('');
    await page.getByTestId('apply-filters').click();
    await waitForLogIds(
      page,
      logged.map((i) => i.id),
    );
    const logRow = page.locator(`[data-log-id="${logged[0]?.id}"]`);
    expect(await logRow.locator('.usd').getAttribute('data-value')).toBe(logged[0]?.costUsd);
    expect(await logRow.textContent()).toContain('demo/demo-chat');
    await shot(page, 'logs-new-call', false);
    await page.getByRole('link', { name: 'Overview' }).click();
    await expectTotalsMatchApi(page);
    const userRow = page.locator('[data-testid=top-users] tr[data-user="e2e-newcomer"]');
    await userRow.waitFor();
    expect(await userRow.textContent()).toMatch(/of \$2\.50/);

    // Its rpm limit changes, then it is revoked; a call with it is refused from then on.
    await page.getByRole('link', { name: 'Keys' }).click();
    await row.getByRole('button', { name: 'Edit' }).click();
    await page.getByTestId('edit-rpm').fill('60');
    await page.getByTestId('save-key').click();
    await row.filter({ hasText: '60' }).waitFor();
    await row.getByRole('button', { name: 'Revoke' }).click();
    await page.getByTestId('confirm-revoke').click();
    await row.waitFor({ state: 'detached' });
    await page.getByTestId('show-revoked').check();
    expect(await row.textContent()).toContain('revoked');
    await shot(page, 'keys-revoked', false);
    const refused = await fetch(`${running.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'demo/demo-chat', messages: [{ role: 'user', content: 'Again' }] }),
    });
    expect(refused.status).toBe(401);
  });

  it('signs out: the key is forgotten and the sign-in form is back', async () => {
    const page = desktop;
    await page.getByTestId('sign-out').click();
    await page.getByTestId('login-form').waitFor();
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
  });

  it('works at a phone-sized viewport (390 × 844)', async () => {
    const { page, context } = await openPage({ width: 390, height: 844 });
    await signIn(page);
    await expectTotalsMatchApi(page);
    await page.locator('[data-testid=cost-chart][data-state=ready]').waitFor();
    await page.locator('[data-testid=top-users] tbody tr').first().waitFor();
    const fits = () => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
    expect(await fits()).toBe(true);
    await shot(page, 'overview-phone');
    await page.getByRole('button', { name: '30 d', exact: true }).click();
    await expectTotalsMatchApi(page);
    await page.getByRole('link', { name: 'Logs' }).click();
    await page.locator('[data-testid=logs-table] tbody tr').first().waitFor();
    expect(await fits()).toBe(true);
    await shot(page, 'logs-phone', false);
    await page.getByRole('link', { name: 'Keys' }).click();
    await page.locator('[data-testid=keys-table][data-state=ready] tbody tr').first().waitFor();
    expect(await fits()).toBe(true);
    await shot(page, 'keys-phone', false);
    await context.close();
  });

  it('ran without page errors or Content-Security-Policy violations', () => {
    expect(problems).toEqual([]);
  });
});
