import { describe, expect, it } from '@jest/globals';
import { retryAfterMs } from './retry-after.js';

describe('Retry-After', () => {
  it('reads delay-seconds and HTTP dates', () => {
    expect(retryAfterMs('2')).toBe(2000);
    expect(retryAfterMs(' 0.5 ')).toBe(500);
    const now = Date.UTC(2026, 0, 1);
    expect(retryAfterMs('Thu, 01 Jan 2026 00:00:03 GMT', now)).toBe(3000);
    expect(retryAfterMs('Wed, 31 Dec 2025 00:00:00 GMT', now)).toBe(0);
    expect(retryAfterMs(undefined)).toBeUndefined();
    expect(retryAfterMs('soon')).toBeUndefined();
  });
});
