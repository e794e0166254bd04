import { mkdir } from 'node:fs/promises';
import { createTestDatabase, type TestDatabase } from '@aigw/db/testing';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { DatabaseService } from '../src/database/database.service.js';
import { type AdminResponse, adminFetch } from './support/admin-api.js';
import { ARTIFACTS, describeInBrowser, launchChromium, waitForLogIds } from './support/browser.js';
import { type RunningApp, startApp, TEST_ADMIN_KEY } from './support/start-app.js';
import { usageRow } from './support/usage-rows.js';

/** The fills of the bar states in styles.css (--neutral-fill, --amber, --red), as computed colours. */
const FILL = { ok: 'rgb(91, 123, 184)', alert: 'rgb(227, 154, 11)', exceeded: 'rgb(217, 45, 32)' };

interface BudgetStatus {
  period: string;
  amountUsd: string;
  spentUsd: string;
  state: 'ok' | 'alert' | 'exceeded';
}
interface Team {
  id: string;
  name: string;
  budgets: { amountUsd: string; period: string }[];
  memberCount: number;
  spend: BudgetStatus[];
}
interface TeamDetail extends Team {
  topUsers: { userId: string; costUsd: string }[];
  topModels: { provider: string; model: string }[];
  members: { userId: string }[];
}
interface KeyView {
  id: string;
  userId: string;
  teamId: string | null;
  tpmLimit: number | null;
  maxParallel: number | null;
  allowedModels: string[];
  expiresAt: string | null;
}
type LogsPage = { items: { id: string; teamId?: string | null }[]; nextCursor: string | null };

/** Fails with the route and answer when the admin API did not answer 2xx (a route still missing, say). */
function ok<T>(response: AdminResponse<T>, route: string): T {
  if (response.status >= 300)
    throw new Error(`${route} answered ${response.status}: ${JSON.stringify(response.body)}`);
  return response.body;
}

describeInBrowser('the dashboard’s teams, budgets and key limits in headless Chromium', () => {
  let testDb: TestDatabase;
  let running: RunningApp;
  let browser: Browser;
  const problems: string[] = [];
  const teams: Record<'platform' | 'research' | 'design', Team> = {} as never;

  const api = async <T>(path: string, init?: Parameters<typeof adminFetch>[2]): Promise<T> =>
    ok(await adminFetch<T>(running.url, path, init), `${init?.method ?? 'GET'} ${path}`);

  beforeAll(async () => {
    await mkdir(ARTIFACTS, { recursive: true });
    testDb = await createTestDatabase();
    running = await startApp({ DATABASE_URL: testDb.url });
    // Three teams with a monthly budget each, made through the admin API.
    const create = (name: string, amountUsd: string, members: string[]) =>
      api<Team>('/admin/teams', {
        method: 'POST',
        json: { name, budgets: [{ amountUsd, period: 'monthly' }], members },
      });
    teams.platform = await create('platform', '10', ['ana', 'ben']);
    teams.research = await create('research', '5', ['rui']);
    teams.design = await create('design', '100', []);

    // This month's spend (UTC), known to the cent: platform $8.50 of $10 (85%), research
    // $6 of $5 (120%), design $1 of $100 (1%). The rows are a few seconds old (never before
    // the month's first instant).
    const now = Date.now();
    const monthStart = Date.UTC(new Date(now).getUTCFullYear(), new Date(now).getUTCMonth(), 1);
    const secondsAgo = (s: number) => new Date(Math.max(monthStart, now - 5_000 - s * 1000));
    const charged = (teamId: string, userId: string, model: string, costUsd: string | null, s: number) =>
      usageRow({
        userId,
        teamId,
        provider: model.startsWith('claude') ? 'anthropic' : 'openai',
        model,
        createdAt: secondsAgo(s),
        promptTokens: 100,
        completionTokens: 20,
        totalTokens: 120,
        costUsd,
      });
    const rows = [
      charged(teams.platform.id, 'ana', 'gpt-4o', '2.000000000000', 1),
      charged(teams.platform.id, 'ana', 'gpt-4o', '2.000000000000', 2),
      charged(teams.platform.id, 'ana', 'claude-sonnet-4-5', '2.000000000000', 3),
      charged(teams.platform.id, 'ben', 'gpt-4o', '2.500000000000', 4),
      charged(teams.research.id, 'rui', 'claude-sonnet-4-5', '3.000000000000', 5),
      charged(teams.research.id, 'rui', 'claude-sonnet-4-5', '3.000000000000', 6),
      charged(teams.design.id, 'dee', 'gpt-4o-mini', '1.000000000000', 7),
      // 130 free rows of one user, for the logs' pages (50 a page: three pages).
      ...Array.from({ length: 130 }, (_, i) =>
        charged(teams.design.id, 'pager', 'gpt-4o-mini', null, 10 + i),
      ),
    ];
    await running.app.get(DatabaseService).prisma.aIUsageLog.createMany({ data: rows });
    browser = await launchChromium();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await running?.close();
    await testDb?.drop();
  });

  /** A fresh browser context, signed in, recording page errors and console errors. */
  async function openPage(viewport: {
    width: number;
    height: number;
  }): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
    const page = await context.newPage();
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });
    await page.goto(`${running.url}/dashboard`);
    await page.getByTestId('admin-key-input').fill(TEST_ADMIN_KEY);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('[data-testid=totals][data-state=ready]').waitFor();
    return { context, page };
  }

  const shot = (page: Page, name: string, fullPage = true) =>
    page.screenshot({ path: `${ARTIFACTS}${name}.png`, fullPage });

  /** A budget bar's state, words and fill colour. */
  async function bar(locator: Locator): Promise<{ state: string | null; text: string; fill: string }> {
    await locator.waitFor();
    return {
      state: await locator.getAttribute('data-state'),
      text: (await locator.locator('.budget-bar-text > span').first().textContent()) ?? '',
      fill: await locator.locator('.budget-bar-fill').evaluate((el) => getComputedStyle(el).backgroundColor),
    };
  }

  let desktop: Page;

  it('lists the teams made through the API, each budget bar amber at 80–99% and red at 100% or more', async () => {
    const { page } = await openPage({ width: 1440, height: 900 });
    desktop = page;
    // The API's own view of the spend, which the page draws.
    const listed = (await api<{ data: Team[] }>('/admin/teams')).data;
    const spendOf = (name: string) => listed.find((t) => t.name === name)?.spend[0];
    expect(Number(spendOf('platform')?.spentUsd)).toBe(8.5);
    expect(spendOf('platform')?.state).toBe('alert');
    expect(spendOf('research')?.state).toBe('exceeded');
    expect(spendOf('design')?.state).toBe('ok');

    await page.getByRole('link', { name: 'Teams' }).click();
    await page.locator('[data-testid=teams-table][data-state=ready] tbody tr').first().waitFor();
    // No time range on this view: budgets have their own periods.
    expect(await page.getByTestId('range').count()).toBe(0);
    const row = (name: keyof typeof teams) => page.locator(`[data-team-id="${teams[name].id}"]`);
    expect(await bar(row('platform').locator('.budget-bar'))).toEqual({
      state: 'alert',
      text: '$8.50 of $10.00 this month (85%): past its alert threshold',
      fill: FILL.alert,
    });
    expect(await bar(row('research').locator('.budget-bar'))).toEqual({
      state: 'exceeded',
      text: '$6.00 of $5.00 this month (120%): budget used up, calls refused',
      fill: FILL.exceeded,
    });
    expect(await bar(row('design').locator('.budget-bar'))).toEqual({
      state: 'ok',
      text: '$1.00 of $100.00 this month (1%)',
      fill: FILL.ok,
    });

    // One team opened: its bar, top users and models of the month, members.
    await row('platform').getByRole('button', { name: 'platform' }).click();
    const detail = page.locator(
      `[data-testid=team-detail][data-state=ready][data-team-id="${teams.platform.id}"]`,
    );
    await detail.waitFor();
    expect((await bar(detail.locator('[data-testid=team-budgets] .budget-bar'))).state).toBe('alert');
    const apiDetail = await api<TeamDetail>(`/admin/teams/${teams.platform.id}`);
    expect(
      await detail
        .locator('[data-testid=team-top-users] tbody tr')
        .evaluateAll((trs) => trs.map((tr) => (tr as HTMLElement).dataset.user)),
    ).toEqual(apiDetail.topUsers.map((u) => u.userId));
    expect(apiDetail.topUsers[0]?.userId).toBe('ana');
    expect(
      await detail.locator('[data-testid=team-top-users] tr[data-user=ana] .usd').getAttribute('data-value'),
    ).toBe(apiDetail.topUsers[0]?.costUsd);
    expect(
      await detail
        .locator('[data-testid=team-top-models] tbody tr')
        .evaluateAll((trs) => trs.map((tr) => (tr as HTMLElement).dataset.model)),
    ).toEqual(apiDetail.topModels.map((m) => `${m.provider}/${m.model}`));
    expect(
      await detail
        .locator('[data-member]')
        .evaluateAll((lis) => lis.map((li) => (li as HTMLElement).dataset.member)),
    ).toEqual(apiDetail.members.map((m) => m.userId));
    await shot(page, 'teams-desktop');

    // The exceeded team, opened, is red there too.
    await row('research').getByRole('button', { name: 'research' }).click();
    const research = page.locator(
      `[data-testid=team-detail][data-state=ready][data-team-id="${teams.research.id}"]`,
    );
    expect(await bar(research.locator('[data-testid=team-budgets] .budget-bar'))).toMatchObject({
      state: 'exceeded',
      fill: FILL.exceeded,
    });
  });

  it('creates a team with a monthly budget, then adds and removes a member from the view', async () => {
    const page = desktop;
    await page.getByTestId('team-name').fill('e2e-team');
    await page.getByTestId('team-budget').fill('20');
    await page.getByTestId('create-team').click();
    // The row shows once the POST is done; then the API has the team.
    const row = page.locator('[data-testid=teams-table] tr', { hasText: 'e2e-team' });
    await row.waitFor();
    const team = (await api<{ data: Team[] }>('/admin/teams')).data.find((t) => t.name === 'e2e-team');
    expect(team?.budgets).toEqual([expect.objectContaining({ period: 'monthly' })]);
    expect(Number(team?.budgets[0]?.amountUsd)).toBe(20);
    expect(await bar(row.locator('.budget-bar'))).toMatchObject({
      state: 'ok',
      text: '$0.00 of $20.00 this month (0%)',
    });
    // The new team is the one opened.
    const detail = page.locator(`[data-testid=team-detail][data-state=ready][data-team-id="${team?.id}"]`);
    await detail.waitFor();
    await detail.getByTestId('member-user').fill('carol');
    await detail.getByTestId('add-member').click();
    const member = detail.locator('[data-member=carol]');
    await member.waitFor();
    expect((await api<TeamDetail>(`/admin/teams/${team?.id}`)).members.map((m) => m.userId)).toEqual([
      'carol',
    ]);
    await row.filter({ has: page.locator('td.num', { hasText: /^1$/ }) }).waitFor();
    await shot(page, 'team-created', false);
    await member.getByRole('button', { name: 'Remove carol' }).click();
    await member.waitFor({ state: 'detached' });
    expect((await api<TeamDetail>(`/admin/teams/${team?.id}`)).members).toEqual([]);

    // Deleted from the view (after a confirmation): gone from the list and the API.
    await detail.getByRole('button', { name: 'Delete team' }).click();
    await page.getByTestId('confirm-delete-team').click();
    await row.waitFor({ state: 'detached' });
    expect((await api<{ data: Team[] }>('/admin/teams')).data.map((t) => t.name).sort()).toEqual([
      'design',
      'platform',
      'research',
    ]);
  });

  it('issues and edits keys with a team, tpm, parallel, allowed models and expiry; the list shows them', async () => {
    const page = desktop;
    await page.getByRole('link', { name: 'Keys' }).click();
    // Issued from the form with a team and limits.
    await page.getByTestId('issue-user').fill('ben');
    await page.getByTestId('issue-team').selectOption({ label: 'platform' });
    await page.getByTestId('issue-budget').fill('4');
    await page.getByTestId('issue-budget-period').selectOption('daily');
    await page.getByTestId('issue-tpm').fill('5000');
    await page.getByTestId('issue-models').fill('gpt-4o-mini, smart');
    await page.getByTestId('issue-submit').click();
    await page.getByTestId('new-key-dialog').waitFor();
    await page.getByTestId('close-new-key').click();
    const issued = (await api<{ data: KeyView[] }>('/admin/keys')).data.find((k) => k.userId === 'ben');
    expect(issued).toMatchObject({
      teamId: teams.platform.id,
      tpmLimit: 5000,
      maxParallel: null,
      allowedModels: ['gpt-4o-mini', 'smart'],
      budgets: [expect.objectContaining({ period: 'daily' })],
    });
    const issuedRow = page.locator(`[data-key-id="${issued?.id}"]`);
    expect(await issuedRow.locator('[data-cell=budgets]').textContent()).toBe('$4.00 per day');
    expect(await issuedRow.locator('[data-cell=team]').textContent()).toBe('platform');

    // Made through the API with a monthly budget of $3, of which $2.70 is spent (90%).
    const key = await api<KeyView>('/admin/keys', {
      method: 'POST',
      json: { userId: 'ana', name: 'ana laptop', budgets: [{ amountUsd: '3', period: 'monthly' }] },
    });
    await running.app.get(DatabaseService).prisma.aIUsageLog.createMany({
      data: [
        {
          ...usageRow({
            userId: 'ana',
            provider: 'openai',
            model: 'gpt-4o',
            createdAt: new Date(Date.now() - 1000),
            costUsd: '2.700000000000',
          }),
          apiKeyId: key.id,
        },
      ],
    });
    await page.getByTestId('refresh').click();
    const row = page.locator(`[data-key-id="${key.id}"]`);
    await row.waitFor();
    await row.getByRole('button', { name: 'Edit' }).click();
    const dialog = page.getByTestId('edit-key-dialog');
    await dialog.waitFor();
    // The key's budget, as a bar: amber at 90%.
    expect(await bar(dialog.locator('[data-testid=edit-key-spend] .budget-bar'))).toEqual({
      state: 'alert',
      text: '$2.70 of $3.00 this month (90%): past its alert threshold',
      fill: FILL.alert,
    });
    await page.getByTestId('edit-team').selectOption({ label: 'platform' });
    await page.getByTestId('edit-tpm').fill('12000');
    await page.getByTestId('edit-parallel').fill('3');
    await page.getByTestId('edit-models').fill('gpt-4o, smart\nanthropic/*');
    await page.getByTestId('edit-expires').fill('2031-05-06T07:08');
    await shot(page, 'key-edit-limits', false);
    await page.getByTestId('save-key').click();
    await dialog.waitFor({ state: 'detached' });

    const saved = await api<KeyView & { spend: BudgetStatus[] }>(`/admin/keys/${key.id}`);
    expect(saved).toMatchObject({
      teamId: teams.platform.id,
      tpmLimit: 12000,
      maxParallel: 3,
      allowedModels: ['gpt-4o', 'smart', 'anthropic/*'],
      expiresAt: '2031-05-06T07:08:00.000Z',
    });
    await row.locator('[data-limit=tpm]').filter({ hasText: '12,000' }).waitFor();
    expect(await row.locator('[data-cell=team]').textContent()).toBe('platform');
    expect(await row.locator('[data-limit=tpm]').textContent()).toBe('12,000 tpm');
    expect(await row.locator('[data-limit=parallel]').textContent()).toBe('3 parallel');
    expect(await row.locator('[data-cell=models] code').allTextContents()).toEqual([
      'gpt-4o',
      'smart',
      'anthropic/*',
    ]);
    expect(await row.locator('[data-cell=budgets]').textContent()).toBe('$3.00 per month');
    expect(await row.locator('[data-cell=expires]').textContent()).toBe('2031-05-06 07:08');
    await shot(page, 'keys-limits', false);
  });

  it('pages the logs on the server, one page at a time, the next one by its cursor', async () => {
    const page = desktop;
    const requests: URL[] = [];
    const onRequest = (request: { url(): string }) => {
      const url = new URL(request.url());
      if (url.pathname === '/admin/usage/logs') requests.push(url);
    };
    page.on('request', onRequest);
    await page.getByRole('link', { name: 'Logs' }).click();
    await page.locator('[data-testid=logs-table] tbody tr').first().waitFor();
    await page.getByTestId('filter-user').fill('pager');
    await page.getByTestId('apply-filters').click();
    const range = page.getByTestId('range');
    const query = `from=${await range.getAttribute('data-from')}&to=${await range.getAttribute('data-to')}&userId=pager&limit=50`;
    const first = await api<LogsPage>(`/admin/usage/logs?${query}`);
    expect(first.items).toHaveLength(50);
    expect(first.items.every((i) => i.teamId === teams.design.id)).toBe(true);
    await waitForLogIds(
      page,
      first.items.map((i) => i.id),
    );
    // The page asked for one page of 50, without a cursor; the team column names the team.
    const firstAsked = requests.filter((u) => u.searchParams.get('userId') === 'pager');
    expect(firstAsked.at(-1)?.searchParams.get('limit')).toBe('50');
    expect(firstAsked.at(-1)?.searchParams.has('cursor')).toBe(false);
    expect(await page.locator(`[data-log-id="${first.items[0]?.id}"] [data-cell=team]`).textContent()).toBe(
      'design',
    );

    await page.getByTestId('page-older').click();
    const second = await api<LogsPage>(`/admin/usage/logs?${query}&cursor=${first.nextCursor}`);
    await waitForLogIds(
      page,
      second.items.map((i) => i.id),
    );
    const asked = requests.at(-1);
    expect(asked?.search).toContain('cursor=');
    expect(asked?.searchParams.get('cursor')).toBe(first.nextCursor);
    expect(asked?.searchParams.get('limit')).toBe('50');
    // Other rows: the second page shares none with the first.
    const firstIds = new Set(first.items.map((i) => i.id));
    expect(second.items.some((i) => firstIds.has(i.id))).toBe(false);
    expect(await page.getByTestId('logs-table').getAttribute('data-page')).toBe('2');
    await shot(page, 'logs-page-2', false);

    // Previous goes back along the cursors seen.
    await page.getByTestId('page-newer').click();
    await waitForLogIds(
      page,
      first.items.map((i) => i.id),
    );
    expect(await page.getByTestId('logs-table').getAttribute('data-page')).toBe('1');
    // Never more than one page asked for at once.
    expect(requests.every((u) => Number(u.searchParams.get('limit')) <= 50)).toBe(true);
    page.off('request', onRequest);
  });

  it('shows the teams at a phone-sized viewport (390 × 844)', async () => {
    const { page, context } = await openPage({ width: 390, height: 844 });
    await page.getByRole('link', { name: 'Teams' }).click();
    await page.locator('[data-testid=teams-table][data-state=ready] tbody tr').first().waitFor();
    await page
      .locator(`[data-team-id="${teams.platform.id}"]`)
      .getByRole('button', { name: 'platform' })
      .click();
    await page.locator('[data-testid=team-detail][data-state=ready]').waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await shot(page, 'teams-phone');
    await context.close();
  });

  it('ran without page errors or console errors', () => {
    expect(problems).toEqual([]);
  });
});
