import { createHmac, timingSafeEqual } from 'node:crypto';

/** Header of the alert's signature: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`. */
export const ALERT_SIGNATURE_HEADER = 'x-aigw-signature';
/** Header of the alert's id (the same on every retry of one alert). */
export const ALERT_ID_HEADER = 'x-aigw-alert-id';
/** Seconds a receiver accepts between the signature's time and its own clock, by default. */
export const DEFAULT_SIGNATURE_TOLERANCE_SEC = 300;

function hmacHex(secret: string, timestamp: number, rawBody: string | Buffer): string {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex');
}

/** The `x-aigw-signature` value of `rawBody` signed at `nowSec` (Stripe's scheme). */
export function signAlert(
  secret: string,
  rawBody: string | Buffer,
  nowSec = Math.floor(Date.now() / 1000),
): string {
  return `t=${nowSec},v1=${hmacHex(secret, nowSec, rawBody)}`;
}

/**
 * Whether `header` (an `x-aigw-signature` value) signs `rawBody` (the bytes received, before
 * any JSON parsing) with `secret`, at a time within `toleranceSec` of now. For receivers.
 */
export function verifyAlertSignature(
  secret: string,
  header: string | undefined | null,
  rawBody: string | Buffer,
  toleranceSec = DEFAULT_SIGNATURE_TOLERANCE_SEC,
  nowSec = Math.floor(Date.now() / 1000),
): boolean {
  if (!header) return false;
  let timestamp: number | undefined;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const [name, value] = part.trim().split('=', 2);
    if (name === 't' && value && /^\d+$/.test(value)) timestamp = Number(value);
    else if (name === 'v1' && value) signatures.push(value);
  }
  if (timestamp === undefined || signatures.length === 0) return false;
  if (Math.abs(nowSec - timestamp) > toleranceSec) return false;
  const expected = Buffer.from(hmacHex(secret, timestamp, rawBody), 'hex');
  return signatures.some((signature) => {
    if (!/^[0-9a-f]+$/i.test(signature)) return false;
    const given = Buffer.from(signature, 'hex');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}
