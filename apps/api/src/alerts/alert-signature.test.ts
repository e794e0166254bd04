import { createHmac } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { signAlert, verifyAlertSignature } from './alert-signature.js';

const SECRET = 'whsec-test-0123456789abcdef';
const BODY = '{"type":"budget.threshold_reached","id":"a"}';

describe('alert signatures (Stripe scheme: t=<unix s>,v1=<hex HMAC-SHA256 of "<t>.<body>">)', () => {
  it('signs "<t>.<raw body>" with HMAC-SHA256', () => {
    const header = signAlert(SECRET, BODY, 1_700_000_000);
    const expected = createHmac('sha256', SECRET).update(`1700000000.${BODY}`).digest('hex');
    expect(header).toBe(`t=1700000000,v1=${expected}`);
    expect(expected).toMatch(/^[0-9a-f]{64}$/);
  });

  it('verifies a fresh signature of the same bytes, as string or Buffer', () => {
    const header = signAlert(SECRET, BODY);
    expect(verifyAlertSignature(SECRET, header, BODY)).toBe(true);
    expect(verifyAlertSignature(SECRET, header, Buffer.from(BODY))).toBe(true);
  });

  it('refuses another secret, another body, a missing or malformed header', () => {
    const header = signAlert(SECRET, BODY);
    expect(verifyAlertSignature('another-secret-0123456789', header, BODY)).toBe(false);
    expect(verifyAlertSignature(SECRET, header, `${BODY} `)).toBe(false);
    expect(verifyAlertSignature(SECRET, undefined, BODY)).toBe(false);
    expect(verifyAlertSignature(SECRET, '', BODY)).toBe(false);
    expect(verifyAlertSignature(SECRET, 'v1=abc', BODY)).toBe(false);
    expect(verifyAlertSignature(SECRET, header.replace(/v1=.*/, 'v1=zz'), BODY)).toBe(false);
    expect(verifyAlertSignature(SECRET, header.replace(/v1=.*/, 'v1=abcd'), BODY)).toBe(false);
  });

  it('refuses a timestamp outside the tolerance, and accepts one inside', () => {
    const header = signAlert(SECRET, BODY, 1_700_000_000);
    expect(verifyAlertSignature(SECRET, header, BODY, 300, 1_700_000_301)).toBe(false);
    expect(verifyAlertSignature(SECRET, header, BODY, 300, 1_699_999_699)).toBe(false);
    expect(verifyAlertSignature(SECRET, header, BODY, 300, 1_700_000_300)).toBe(true);
    expect(verifyAlertSignature(SECRET, header, BODY, 1000, 1_700_000_900)).toBe(true);
  });

  it('accepts any of several v1 signatures (secret rotation)', () => {
    const header = signAlert(SECRET, BODY);
    const other = signAlert('old-secret-0123456789abcdef', BODY).split(',')[1];
    expect(
      verifyAlertSignature(SECRET, `${header.split(',')[0]},${other},${header.split(',')[1]}`, BODY),
    ).toBe(true);
  });
});
