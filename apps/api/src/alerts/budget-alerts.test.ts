import { type BudgetSpend, MemoryLimitStore } from '@aigw/ai';
import { describe, expect, it, jest } from '@jest/globals';
import { MetricsService } from '../metrics/metrics.service.js';
import type { AlertDestinations } from './alert-destinations.js';
import { BudgetAlerts } from './budget-alerts.js';

const spend = (spentUsd: string): BudgetSpend => ({
  rule: { scope: 'key', id: 'k', amountUsd: '1', period: 'monthly' },
  account: 'budget:key:k:monthly:0',
  amountUsd: '1',
  spentUsd,
  periodStartMs: 0,
  resetsAtMs: Date.now() + 60_000,
  userId: 'alice',
});

function alertsWith(resolve: AlertDestinations['resolve']) {
  const store = new MemoryLimitStore();
  const hit = jest.spyOn(store, 'hit');
  const destinations = { resolve: jest.fn(resolve) } as unknown as AlertDestinations;
  return { alerts: new BudgetAlerts(store, destinations, new MetricsService()), hit, destinations };
}

describe('BudgetAlerts', () => {
  it('sends nothing and claims nothing when no webhook is configured', async () => {
    const { alerts, hit, destinations } = alertsWith(async () => undefined);
    alerts.onSpend(spend('0.9'));
    await alerts.settled();
    expect(destinations.resolve).toHaveBeenCalledWith(undefined);
    expect(hit).not.toHaveBeenCalled();
  });

  it('does nothing below every threshold', async () => {
    const { alerts, destinations } = alertsWith(async () => undefined);
    alerts.onSpend(spend('0.79'));
    await alerts.settled();
    expect(destinations.resolve).not.toHaveBeenCalled();
  });

  it('never throws, whatever it is told or however its lookups fail', async () => {
    const { alerts } = alertsWith(async () => {
      throw new Error('database down');
    });
    expect(() => alerts.onSpend(spend('not a number'))).not.toThrow();
    expect(() => alerts.onSpend(spend('0.9'))).not.toThrow();
    await expect(alerts.settled()).resolves.toBeUndefined();
  });
});
