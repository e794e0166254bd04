import { describe, expect, it } from '@jest/globals';
import { alertClaimKey, alertClaimTtlMs, crossedThresholds } from './alert-thresholds.js';

const rule = (alertThresholds?: number[]) => ({
  scope: 'key' as const,
  id: 'k',
  amountUsd: '1',
  period: 'monthly' as const,
  alertThresholds,
});

describe('alert thresholds', () => {
  it('defaults to 80%, compared as exact decimals', () => {
    expect(crossedThresholds({ rule: rule(), amountUsd: '1', spentUsd: '0.799999999999' })).toEqual([]);
    expect(crossedThresholds({ rule: rule(), amountUsd: '1', spentUsd: '0.8' })).toEqual([0.8]);
    // 0.7 * 3 is 2.0999999999999996 in floats: exact decimals need 2.1.
    expect(crossedThresholds({ rule: rule([0.7]), amountUsd: '3', spentUsd: '2.0999999999999997' })).toEqual(
      [],
    );
    expect(crossedThresholds({ rule: rule([0.7]), amountUsd: '3', spentUsd: '2.1' })).toEqual([0.7]);
  });

  it('lists every threshold reached, ascending, once each, ignoring invalid ones', () => {
    const thresholds = [0.9, 0.5, 0.8, 0.5, 0, -1, 1.5, Number.NaN, 1];
    expect(crossedThresholds({ rule: rule(thresholds), amountUsd: '10', spentUsd: '9' })).toEqual([
      0.5, 0.8, 0.9,
    ]);
    expect(crossedThresholds({ rule: rule(thresholds), amountUsd: '10', spentUsd: '11' })).toEqual([
      0.5, 0.8, 0.9, 1,
    ]);
  });

  it('claims per account and threshold, until the period ends plus a day (ten years for total)', () => {
    expect(alertClaimKey('key:k:monthly:1', '10', 0.8)).toBe('alert:key:k:monthly:1:10:0.8');
    const day = 86_400_000;
    expect(alertClaimTtlMs(10_000, 4_000)).toBe(6_000 + day);
    expect(alertClaimTtlMs(null, 4_000)).toBeGreaterThan(3650 * day);
  });
});
