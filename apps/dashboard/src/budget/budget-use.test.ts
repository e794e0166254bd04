import { describe, expect, it } from '@jest/globals';
import { alertThreshold, budgetUse } from './budget-use';

describe('budgetUse', () => {
  it.each([
    ['0', '10', 'ok', 0],
    ['7.99', '10', 'ok', 79],
    ['8', '10', 'alert', 80],
    ['2.4', '3', 'alert', 80],
    ['9.999999999999', '10', 'alert', 99],
    ['10.000000000000', '10', 'exceeded', 100],
    ['12.5', '10', 'exceeded', 125],
  ])('%s of %s is %s (%i%)', (spentUsd, amountUsd, state, percent) => {
    const use = budgetUse({ spentUsd, amountUsd, period: 'monthly' });
    expect(use.state).toBe(state);
    expect(use.percent).toBe(percent);
  });

  it('says it in words', () => {
    expect(budgetUse({ spentUsd: '8.000000000000', amountUsd: '10', period: 'monthly' }).text).toBe(
      '$8.00 of $10.00 this month (80%)',
    );
    expect(budgetUse({ spentUsd: '1', amountUsd: '4', period: 'daily' }).text).toBe(
      '$1.00 of $4.00 today (25%)',
    );
  });

  it('alerts at the lowest threshold given', () => {
    expect(
      budgetUse({ spentUsd: '5', amountUsd: '10', period: 'weekly', alertThresholds: [0.9, 0.5] }).state,
    ).toBe('alert');
    expect(
      budgetUse({ spentUsd: '8.5', amountUsd: '10', period: 'weekly', alertThresholds: [0.9] }).state,
    ).toBe('ok');
  });

  it('fills the bar up to the cap, and treats a zero budget as used up', () => {
    expect(budgetUse({ spentUsd: '5', amountUsd: '10', period: 'total' }).fill).toBe(0.5);
    expect(budgetUse({ spentUsd: '50', amountUsd: '10', period: 'total' }).fill).toBe(1);
    expect(budgetUse({ spentUsd: '0', amountUsd: '0', period: 'total' })).toMatchObject({
      state: 'exceeded',
      fill: 1,
    });
  });
});

describe('alertThreshold', () => {
  it('defaults to 0.8 and ignores nonsense', () => {
    expect(alertThreshold(undefined)).toBe(0.8);
    expect(alertThreshold([])).toBe(0.8);
    expect(alertThreshold([0, 2, 0.95])).toBe(0.95);
  });
});
