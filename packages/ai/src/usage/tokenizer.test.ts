import { describe, expect, it } from '@jest/globals';
import { tokenizer } from './tokenizer.js';

describe('tokenizer().countTokens', () => {
  it('counts ordinary text as gpt-tokenizer does', () => {
    expect(tokenizer().countTokens('hello world, how are you?')).toBe(7);
  });

  it('counts a long run without whitespace in pieces, as many tokens as whole', () => {
    // Whole, 80000 "x" are 10000 tokens (and take seconds: BPE is quadratic in a run's length).
    expect(tokenizer().countTokens('x'.repeat(80_000))).toBe(10_000);
    // 400 KB of it, which took minutes whole, is counted at once.
    expect(tokenizer().countTokens(`say ${'x'.repeat(400_000)} twice`)).toBe(50_003);
  });
});
