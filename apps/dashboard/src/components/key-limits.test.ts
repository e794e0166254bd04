import { describe, expect, it } from '@jest/globals';
import type { ApiKeyView } from '../api/admin-types';
import {
  changedLimits,
  expiresInput,
  freePeriod,
  limitsDraft,
  limitsInput,
  modelsInput,
  newKeyLimits,
} from './key-limits';

const key: ApiKeyView = {
  id: 'k1',
  keyPrefix: 'sk-gw-abc',
  userId: 'alice',
  teamId: null,
  name: null,
  budgetUsd: '25.000000000000',
  budgets: [{ amountUsd: '25.000000000000', period: 'total', alertThresholds: [0.8] }],
  rpmLimit: 60,
  tpmLimit: null,
  maxParallel: null,
  allowedModels: [],
  expiresAt: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  revokedAt: null,
};

describe('modelsInput', () => {
  it('takes patterns separated by commas or lines, without blanks or repeats', () => {
    expect(modelsInput('gpt-4o, smart\nanthropic/*\n\n gpt-4o ,')).toEqual({
      value: ['gpt-4o', 'smart', 'anthropic/*'],
    });
    expect(modelsInput('  ')).toEqual({ value: [] });
    expect(modelsInput('gpt 4o')).toHaveProperty('error');
  });
});

describe('expiresInput', () => {
  it('reads a datetime-local value as UTC', () => {
    expect(expiresInput('2026-03-01T18:30')).toEqual({ value: '2026-03-01T18:30:00.000Z' });
    expect(expiresInput('')).toEqual({ value: null });
    expect(expiresInput('soon')).toHaveProperty('error');
  });
});

describe('limitsInput', () => {
  it('validates every field and names the first wrong one', () => {
    const draft = { ...limitsDraft(), tpm: '10,000', parallel: 'two' };
    expect(limitsInput(draft)).toEqual({
      error: 'Max parallel: a whole number of requests at once, 1 or more.',
    });
  });

  it('sends a new key only the limits set', () => {
    const parsed = limitsInput({
      ...limitsDraft(),
      budgets: [
        { amount: '5', period: 'monthly' },
        { amount: '', period: 'daily' },
      ],
      tpm: '10000',
    });
    if ('error' in parsed) throw new Error(parsed.error);
    expect(newKeyLimits(parsed.value)).toEqual({
      budgets: [{ amountUsd: '5', period: 'monthly' }],
      tpmLimit: 10000,
    });
  });
});

describe('budgets', () => {
  it('takes at most one per period, and a new one gets a free period', () => {
    const twice = limitsInput({
      ...limitsDraft(),
      budgets: [
        { amount: '5', period: 'monthly' },
        { amount: '9', period: 'monthly' },
      ],
    });
    expect(twice).toEqual({ error: 'Budgets: at most one per period; monthly is given twice.' });
    expect(freePeriod([{ amount: '5', period: 'total' }], 'total')).toBe('monthly');
    expect(freePeriod([], 'total')).toBe('total');
  });
});

describe('changedLimits', () => {
  it('is empty for an unchanged form (25 is 25.000000000000)', () => {
    const parsed = limitsInput(limitsDraft(key));
    if ('error' in parsed) throw new Error(parsed.error);
    expect(changedLimits(key, parsed.value)).toEqual({});
  });

  it('has only what changed; blank clears', () => {
    const parsed = limitsInput({
      ...limitsDraft(key),
      rpm: '',
      parallel: '4',
      models: 'gpt-4o\nanthropic/*',
    });
    if ('error' in parsed) throw new Error(parsed.error);
    expect(changedLimits(key, parsed.value)).toEqual({
      rpmLimit: null,
      maxParallel: 4,
      allowedModels: ['gpt-4o', 'anthropic/*'],
    });
  });
});
