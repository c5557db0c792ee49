// X-Commit-Gate-Signature: v1=<hex HMAC-SHA256 of "<timestamp>.<body>"> (INTERFACE.md), the
// scheme Stripe and Slack use: the timestamp is signed with the body, so a captured request
// cannot be replayed later under a fresh timestamp.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-commit-gate-signature';
export const TIMESTAMP_HEADER = 'x-commit-gate-timestamp';

/** `timestamp` is Unix seconds, as sent in X-Commit-Gate-Timestamp. */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** What a receiver does (README "HTTP API"): recompute, compare in constant time, bound the age. */
export function verifyWebhook(
  secret: string,
  headers: { readonly signature: string | undefined; readonly timestamp: string | undefined },
  body: string,
  nowSeconds: number,
  toleranceSeconds = 300,
): boolean {
  const timestamp = Number(headers.timestamp);
  if (!headers.signature || !Number.isInteger(timestamp)) return false;
  if (Math.abs(nowSeconds - timestamp) > toleranceSeconds) return false;
  const expected = Buffer.from(signWebhook(secret, timestamp, body));
  const given = Buffer.from(headers.signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
