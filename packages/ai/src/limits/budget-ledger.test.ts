import { describe, expect, it } from '@jest/globals';
import type { AIError } from '../errors/ai-error.js';
import type { BudgetRule, CallContext } from '../types/call-context.js';
import { BudgetLedger } from './budget-ledger.js';
import type { BudgetSpend } from './budget-spend.js';
import { MemoryLimitStore } from './memory-limit-store.js';
import { usdToPico } from './pico-usd.js';

const context: CallContext = { userId: 'ann', apiKeyId: 'key-1', teamId: 'team-1' };
const key: BudgetRule = { scope: 'key', id: 'key-1', amountUsd: '1', period: 'daily' };
const team: BudgetRule = {
  scope: 'team',
  id: 'team-1',
  name: 'research',
  amountUsd: '0.5',
  period: 'monthly',
};

describe('BudgetLedger: budgets of a key, its user and its team, each per period', () => {
  it('refuses when one budget does not fit, names it, and releases what it took in the others', async () => {
    const store = new MemoryLimitStore();
    const ledger = new BudgetLedger(store, async () => '0', {
      now: () => Date.parse('2031-01-15T12:00:00Z'),
    });
    const first = await ledger.reserve([key, team], usdToPico('0.3'), context, () => 'call');
    await first?.settle(usdToPico('0.3'));
    const refused = await ledger
      .reserve([key, team], usdToPico('0.3'), context, () => 'openai/gpt-4o')
      .catch((e: AIError) => e);
    expect((refused as AIError).code).toBe('budget_exceeded');
    expect((refused as AIError).details.budget).toEqual({
      scope: 'team',
      id: 'team-1',
      name: 'research',
      period: 'monthly',
      amountUsd: '0.5',
      spentUsd: '0.3',
      reservedUsd: '0',
      callUsd: '0.3',
      resetsAt: '2031-02-01T00:00:00.000Z',
    });
    // The key's daily account holds nothing for the refused call.
    const standing = await ledger.standing(key);
    expect([standing.spentPico, standing.reservedPico]).toEqual([usdToPico('0.3'), 0n]);
  });

  it("seeds each period's account from the usage log since the period's start", async () => {
    const store = new MemoryLimitStore();
    let now = Date.parse('2031-01-31T23:00:00Z');
    const asked: [string, string, string][] = [];
    const ledger = new BudgetLedger(
      store,
      async (scope, id, sinceMs) => {
        asked.push([scope, id, new Date(sinceMs).toISOString()]);
        return '0.45';
      },
      { now: () => now },
    );
    expect((await ledger.standing(team)).spentPico).toBe(usdToPico('0.45'));
    await expect(ledger.reserve([team], usdToPico('0.1'), context, () => 'call')).rejects.toThrow(/monthly/);
    now = Date.parse('2031-02-01T00:00:01Z');
    expect(await ledger.reserve([team], usdToPico('0.01'), context, () => 'call')).toBeDefined();
    expect(asked).toEqual([
      ['team', 'team-1', '2031-01-01T00:00:00.000Z'],
      ['team', 'team-1', '2031-02-01T00:00:00.000Z'],
    ]);
  });

  it('tells the spend listener each budget it settled, with its period', async () => {
    const spends: BudgetSpend[] = [];
    const ledger = new BudgetLedger(new MemoryLimitStore(), async () => '0', {
      now: () => Date.parse('2031-01-15T12:00:00Z'),
      onSpend: (spend) => spends.push(spend),
    });
    const hold = await ledger.reserve([key, team], usdToPico('0.2'), context, () => 'call');
    await hold?.settle(usdToPico('0.1'));
    expect(
      spends.map((s) => [s.rule.scope, s.spentUsd, new Date(s.periodStartMs).toISOString(), s.teamId]),
    ).toEqual([
      // The widest level first, as reserved.
      ['team', '0.1', '2031-01-01T00:00:00.000Z', 'team-1'],
      ['key', '0.1', '2031-01-15T00:00:00.000Z', 'team-1'],
    ]);
  });

  it("takes a key's budgetUsd as its total budget", () => {
    const ledger = new BudgetLedger(new MemoryLimitStore(), async () => '0');
    expect(ledger.rulesOf({ ...context, limits: { budgetUsd: '5' } })).toEqual([
      { scope: 'key', id: 'key-1', amountUsd: '5', period: 'total' },
    ]);
  });
});
