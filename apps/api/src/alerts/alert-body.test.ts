import type { BudgetSpend } from '@aigw/ai';
import { describe, expect, it } from '@jest/globals';
import { alertRequestBody, budgetAlertBody, slackAlertText } from './alert-body.js';

const MONTH_START = Date.UTC(2026, 11, 1);
const NEXT_MONTH = Date.UTC(2027, 0, 1);

const spend = (overrides: Partial<BudgetSpend> = {}): BudgetSpend => ({
  rule: { scope: 'team', id: 'team-1', name: 'Acme <R&D>', amountUsd: '1', period: 'monthly' },
  account: 'budget:team:team-1:monthly:1796083200000',
  amountUsd: '1',
  spentUsd: '0.8403675',
  periodStartMs: MONTH_START,
  resetsAtMs: NEXT_MONTH,
  apiKeyId: 'key-1',
  userId: 'alice',
  teamId: 'team-1',
  ...overrides,
});

describe('budget alert bodies', () => {
  it('writes the json body', () => {
    const body = budgetAlertBody(spend(), 0.8, 'alert-1', Date.UTC(2026, 11, 7, 12));
    expect(body).toEqual({
      type: 'budget.threshold_reached',
      id: 'alert-1',
      createdAt: '2026-12-07T12:00:00.000Z',
      threshold: 0.8,
      budget: {
        scope: 'team',
        id: 'team-1',
        name: 'Acme <R&D>',
        period: 'monthly',
        amountUsd: '1',
        spentUsd: '0.8403675',
        usedFraction: 0.8403,
        periodStart: '2026-12-01T00:00:00.000Z',
        resetsAt: '2027-01-01T00:00:00.000Z',
      },
      apiKeyId: 'key-1',
      userId: 'alice',
      teamId: 'team-1',
    });
    expect(JSON.parse(alertRequestBody(body, 'json'))).toEqual(body);
  });

  it('keeps absent ids and names as null, and a total budget never resets', () => {
    const body = budgetAlertBody(
      spend({
        rule: { scope: 'user', id: 'bob', amountUsd: '10', period: 'total' },
        amountUsd: '10',
        spentUsd: '9.5',
        periodStartMs: 0,
        resetsAtMs: null,
        apiKeyId: undefined,
        userId: 'bob',
        teamId: undefined,
      }),
      0.9,
      'alert-2',
      0,
    );
    expect(body.budget).toMatchObject({ name: null, usedFraction: 0.95, resetsAt: null, period: 'total' });
    expect(body).toMatchObject({ apiKeyId: null, teamId: null, userId: 'bob' });
    expect(JSON.parse(alertRequestBody(body, 'json'))).toEqual(body);
  });

  it('writes Slack’s { text } as one escaped line: who, budget and period, spent of amount (NN%), reset', () => {
    const body = budgetAlertBody(spend(), 0.8, 'alert-1', Date.UTC(2026, 11, 7));
    const raw = JSON.parse(alertRequestBody(body, 'slack')) as Record<string, unknown>;
    expect(Object.keys(raw)).toEqual(['text']);
    expect(raw.text).toBe(slackAlertText(body));
    expect(raw.text).toBe(
      'Budget alert: team "Acme &lt;R&amp;D&gt;" has spent $0.8403675 of its $1 monthly budget (84%), ' +
        'reaching the 80% threshold (last call: user alice, key key-1); it resets at 2027-01-01T00:00:00.000Z.',
    );
    expect(raw.text).not.toContain('\n');
  });

  it('names a key budget by its id when it has no name, and says when a total budget never resets', () => {
    const text = slackAlertText(
      budgetAlertBody(
        spend({
          rule: { scope: 'key', id: 'key-1', amountUsd: '2', period: 'total' },
          amountUsd: '2',
          spentUsd: '2.5',
          resetsAtMs: null,
          teamId: undefined,
        }),
        1,
        'alert-3',
        0,
      ),
    );
    expect(text).toBe(
      'Budget alert: key "key-1" has spent $2.5 of its $2 total budget (125%), reaching the 100% threshold ' +
        '(last call: user alice); it never resets.',
    );
  });
});
