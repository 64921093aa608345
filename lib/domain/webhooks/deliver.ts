import { getDeliveryForSending, recordDeliveryAttempt } from "@/db/queries/webhooks";
import { openSecret } from "@/lib/crypto/secret-box";
import { postJson } from "@/lib/http/outbound";
import { webhookHeaders } from "@/lib/http/webhook-signature";
import type { Deps } from "@/lib/domain/deps";

export class DeliveryFailed extends Error {}

/**
 * One delivery attempt, run by the job worker. A 2xx marks it delivered; anything else (3xx
 * included: redirects are never followed) records the failure and throws so the queue retries
 * with backoff. The last allowed attempt marks it failed. Already delivered: nothing to do, so a
 * job that runs twice sends once.
 */
export async function deliverWebhook(deps: Deps, input: { deliveryId: string; finalAttempt: boolean }): Promise<"delivered" | "skipped"> {
  const found = await getDeliveryForSending(deps.db, { deliveryId: input.deliveryId });
  if (!found || found.delivery.status !== "pending") return "skipped";
  const body = JSON.stringify(found.delivery.payload);
  // The event id is the receiver's idempotency key, identical on every retry.
  const headers = webhookHeaders(openSecret(found.secretEncrypted), found.delivery.eventId, deps.now(), body);
  let statusCode: number | null = null;
  let error: string | null = null;
  try {
    const response = await postJson(found.url, body, headers);
    statusCode = response.status;
    if (response.status >= 200 && response.status < 300) {
      await recordDeliveryAttempt(deps.db, { deliveryId: input.deliveryId, status: "delivered", statusCode, error: null, at: deps.now() });
      return "delivered";
    }
    error = `HTTP ${response.status}${response.status >= 300 && response.status < 400 ? " (redirects are not followed)" : ""}`;
  } catch (cause) {
    error = cause instanceof Error ? cause.message : String(cause);
  }
  await recordDeliveryAttempt(deps.db, { deliveryId: input.deliveryId, status: input.finalAttempt ? "failed" : "pending", statusCode, error, at: deps.now() });
  throw new DeliveryFailed(error);
}
