import { describe, expect, it } from '@jest/globals';
import { type ExecutionContext, UnauthorizedException } from '@nestjs/common';
import { AdminKeyGuard, bearerToken, secretsEqual } from './admin-key.guard.js';

const contextWith = (headers: Record<string, string>) =>
  ({ switchToHttp: () => ({ getRequest: () => ({ headers }) }) }) as unknown as ExecutionContext;

describe('AdminKeyGuard', () => {
  const guard = new AdminKeyGuard({ value: 'sk-admin-correct-horse-battery', generated: false });

  it('admits the admin key as a bearer token', () => {
    expect(guard.canActivate(contextWith({ authorization: 'Bearer sk-admin-correct-horse-battery' }))).toBe(
      true,
    );
  });

  it.each([
    ['no header', {}],
    ['a wrong key', { authorization: 'Bearer sk-admin-wrong' }],
    ['a longer key', { authorization: 'Bearer sk-admin-correct-horse-battery-staple' }],
    ['the key without Bearer', { authorization: 'sk-admin-correct-horse-battery' }],
  ])('refuses %s with 401', (_label, headers) => {
    expect(() => guard.canActivate(contextWith(headers))).toThrow(UnauthorizedException);
  });
});

describe('bearerToken and secretsEqual', () => {
  it('parse and compare', () => {
    expect(bearerToken('bearer abc')).toBe('abc');
    expect(bearerToken('Basic abc')).toBeUndefined();
    expect(secretsEqual('a', 'a')).toBe(true);
    expect(secretsEqual('a', 'ab')).toBe(false);
  });
});
