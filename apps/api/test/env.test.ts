import { describe, expect, it } from '@jest/globals';
import { InvalidEnvironmentError, parseEnv } from '../src/config/env.schema.js';
import { shortSecrets } from '../src/config/short-secrets.js';

describe('parseEnv', () => {
  it('gives the defaults for an empty environment', () => {
    const env = parseEnv({});
    expect(env).toMatchObject({
      PORT: 3000,
      HOST: '0.0.0.0',
      MIGRATE_ON_START: true,
      LOG_LEVEL: 'info',
      KEY_CACHE_TTL_MS: 30_000,
      HEAP_GROWING_PERCENT: 50,
    });
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.ADMIN_API_KEY).toBeUndefined();
  });

  it('treats empty strings as unset', () => {
    const env = parseEnv({ PORT: '', DATABASE_URL: '' });
    expect(env.PORT).toBe(3000);
    expect(env.DATABASE_URL).toBeUndefined();
  });

  it.each([
    ['PORT', 'abc', /PORT: must be a whole number from 0 \(any free port\) to 65535 \(got "abc"\)/],
    ['PORT', '70000', /PORT: must be a whole number/],
    ['MIGRATE_ON_START', 'maybe', /MIGRATE_ON_START: must be true or false/],
    ['LOG_LEVEL', 'loud', /LOG_LEVEL: must be one of/],
    ['REDIS_URL', 'localhost:6379', /REDIS_URL: must be a URL like redis:\/\//],
    ['KEY_CACHE_TTL_MS', '-1', /KEY_CACHE_TTL_MS:/],
    ['HEAP_GROWING_PERCENT', '1.5', /HEAP_GROWING_PERCENT:/],
  ])('rejects %s=%s with a message naming it', (name, value, message) => {
    expect(() => parseEnv({ [name]: value })).toThrow(InvalidEnvironmentError);
    expect(() => parseEnv({ [name]: value })).toThrow(message);
  });

  it('names a bad secret variable without echoing its value', () => {
    const attempt = () =>
      parseEnv({ DATABASE_URL: 'mysql://root:hunter2secret@db/x', ADMIN_API_KEY: 'short' });
    expect(attempt).toThrow(/DATABASE_URL: must be a URL like postgresql:\/\//);
    expect(attempt).toThrow(/ADMIN_API_KEY: must be at least 8 characters long/);
    try {
      attempt();
    } catch (error) {
      expect((error as Error).message).not.toContain('hunter2secret');
      expect((error as Error).message).not.toContain('short"');
    }
  });

  it('takes short secrets, naming them (never their values) for a warning at start', () => {
    const env = parseEnv({
      ADMIN_API_KEY: 'test-admin',
      METRICS_TOKEN: 'a-long-enough-token',
      METRICS_BEARER_TOKEN: 'old-name-12',
      ALERT_WEBHOOK_SECRET: 'whsec-12',
    });
    expect(env.ADMIN_API_KEY).toBe('test-admin');
    expect(shortSecrets(env)).toEqual(['ADMIN_API_KEY', 'METRICS_BEARER_TOKEN', 'ALERT_WEBHOOK_SECRET']);
    expect(shortSecrets(parseEnv({}))).toEqual([]);
  });

  it('lists every bad variable at once', () => {
    expect(() => parseEnv({ PORT: 'x', LOG_LEVEL: 'y' })).toThrow(/PORT:[\s\S]*LOG_LEVEL:/);
  });
});
