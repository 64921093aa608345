import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * The per-revocation token a webhook receiver sends back (Authorization: Bearer …) to confirm.
 * Derived, not stored: HMAC-SHA256 of the revocation id under the application's connector
 * secret, so it proves the caller got this revocation's event, and rotating the secret voids it.
 */
export function callbackToken(connectorSecret: string, revocationId: string): string {
  return `rvk_${createHmac("sha256", connectorSecret).update(`revocation-callback:${revocationId}`).digest("base64url")}`;
}

export function checkCallbackToken(connectorSecret: string, revocationId: string, given: string): boolean {
  const expected = Buffer.from(callbackToken(connectorSecret, revocationId));
  const actual = Buffer.from(given);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
