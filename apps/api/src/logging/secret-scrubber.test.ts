import { describe, expect, it } from '@jest/globals';
import { SecretScrubber, secretsInEnv } from './secret-scrubber.js';

describe('SecretScrubber', () => {
  it('removes configured values wherever they appear', () => {
    const scrubber = new SecretScrubber(['p4ssw0rd-xyz', undefined, 'short']);
    expect(scrubber.scrub('{"msg":"login p4ssw0rd-xyz failed","x":"p4ssw0rd-xyz"}')).toBe(
      '{"msg":"login [redacted] failed","x":"[redacted]"}',
    );
    // Values under 8 characters would redact ordinary words; they are not treated as secrets.
    expect(scrubber.scrub('short')).toBe('short');
  });

  it('removes anything shaped like a bearer token or an sk- key, keeping the prefix', () => {
    const scrubber = new SecretScrubber([]);
    expect(scrubber.scrub('Authorization: Bearer abc.def-ghi_jkl')).toBe('Authorization: Bearer [redacted]');
    expect(scrubber.scrub('key sk-proj-AAAABBBBCCCCDDDD1234')).toBe('key sk-proj-[redacted]');
    expect(scrubber.scrub('key sk-ant-api03-AAAABBBBCCCCDDDD')).toContain('[redacted]');
    expect(scrubber.scrub('key sk-ant-api03-AAAABBBBCCCCDDDD')).not.toContain('AAAABBBB');
  });
});

describe('secretsInEnv', () => {
  it('finds keys, tokens and passwords inside URLs', () => {
    expect(
      secretsInEnv({
        OPENAI_API_KEY: 'sk-1',
        ADMIN_API_KEY: 'adm',
        DATABASE_URL: 'postgresql://app:p%40ss@db/x',
        PORT: '3000',
        OLLAMA_BASE_URL: 'http://127.0.0.1:11434/v1',
      }).sort(),
    ).toEqual(['adm', 'p%40ss', 'p@ss', 'sk-1'].sort());
  });
});
