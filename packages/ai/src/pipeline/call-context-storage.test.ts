import { describe, expect, it } from '@jest/globals';
import { nextAttempt, runWithAiContext } from './call-context-storage.js';

const context = (requestId: string) => ({ userId: 'u1', requestId });

describe('nextAttempt', () => {
  it('numbers the calls of one request id on, with or without a request context', () => {
    expect([nextAttempt('req-a'), nextAttempt('req-a'), nextAttempt('req-a', 7)]).toEqual([1, 2, 8]);
    runWithAiContext(context('req-b'), () => {
      expect([nextAttempt('req-b'), nextAttempt('req-b', 4), nextAttempt('req-b')]).toEqual([1, 5, 6]);
      // Another id inside the context has its own count.
      expect(nextAttempt('req-c')).toBe(1);
    });
  });

  it('keeps the counters of the 10,000 most recently used ids, whatever came before them', () => {
    expect(nextAttempt('long-request')).toBe(1);
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 9_000; i++) nextAttempt(`other-${round}-${i}`);
      // Used again before 10,000 others: still counted.
      expect(nextAttempt('long-request')).toBe(round + 2);
    }
    for (let i = 0; i < 10_000; i++) nextAttempt(`later-${i}`);
    // Forgotten after 10,000 others; a route passes its last attempt for this case.
    expect(nextAttempt('long-request')).toBe(1);
    expect(nextAttempt('later-9999')).toBe(2);
  });
});
