import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * Standard Webhooks signing: HMAC-SHA256 over "{id}.{timestamp}.{body}", sent as
 *   webhook-id, webhook-timestamp (Unix seconds), webhook-signature: "v1,<base64>".
 * Receivers check the signature in constant time and refuse timestamps outside a tolerance.
 */
export const SIGNATURE_TOLERANCE_SECONDS = 5 * 60;

/**
 * The HMAC key a secret stands for. A Standard Webhooks secret ("whsec_" and base64) is the key's
 * bytes in base64, and the spec's libraries (svix, standardwebhooks) decode it; signing with the
 * text itself would make every delivery fail their check. Any other secret (a receiver's own,
 * typed into a webhook connector) is used as its UTF-8 bytes.
 */
export function signingKey(secret: string): Buffer {
  return secret.startsWith("whsec_") ? Buffer.from(secret.slice("whsec_".length), "base64") : Buffer.from(secret, "utf8");
}

export function signWebhook(secret: string, id: string, timestamp: number, body: string): string {
  return `v1,${createHmac("sha256", signingKey(secret)).update(`${id}.${timestamp}.${body}`).digest("base64")}`;
}

export function webhookHeaders(secret: string, id: string, at: Date, body: string): Record<string, string> {
  const timestamp = Math.floor(at.getTime() / 1000);
  return {
    "content-type": "application/json",
    "webhook-id": id,
    "webhook-timestamp": String(timestamp),
    "webhook-signature": signWebhook(secret, id, timestamp, body),
  };
}

/** What a receiver runs (and what Accord's tests run as the receiver). */
export function verifyWebhook(secret: string, headers: { id?: string | null; timestamp?: string | null; signature?: string | null }, body: string, now: Date): boolean {
  const { id, timestamp, signature } = headers;
  if (!id || !timestamp || !signature) return false;
  const seconds = Number(timestamp);
  if (!Number.isInteger(seconds) || Math.abs(now.getTime() / 1000 - seconds) > SIGNATURE_TOLERANCE_SECONDS) return false;
  const expected = Buffer.from(signWebhook(secret, id, seconds, body));
  // A header may carry several space-separated signatures while a secret rotates.
  return signature.split(" ").some((candidate) => {
    const given = Buffer.from(candidate);
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}
