import { randomBytes } from "node:crypto";
import { z } from "zod";
import { deactivateSubscription, insertSubscription, listRecentDeliveries, listSubscriptions } from "@/db/queries/webhooks";
import { sealSecret } from "@/lib/crypto/secret-box";
import { assertPublicTarget, OutboundRefused } from "@/lib/http/outbound";
import { Forbidden, Invalid, NotFound } from "@/lib/errors";
import { auditActor, type Actor } from "@/lib/domain/access/actor";
import { mayAdminister, seesEverything } from "@/lib/domain/access/rules";
import { recordAudit } from "@/lib/domain/audit/record-audit";
import type { Deps } from "@/lib/domain/deps";
import { WEBHOOK_EVENT_TYPES } from "./events";
import { publishEvent } from "./publish";

export const createSubscriptionInput = z.object({
  name: z.string().trim().min(3).max(100),
  url: z.url({ message: "Enter the full https:// URL of the receiver." }),
  events: z.array(z.enum(WEBHOOK_EVENT_TYPES)).min(1, "Choose at least one event."),
});

/** The signing secret is returned once; Accord keeps it encrypted to sign each delivery. */
export async function createSubscription(deps: Deps, actor: Actor, input: z.infer<typeof createSubscriptionInput>) {
  if (!mayAdminister(actor)) throw new Forbidden("Only admins manage webhooks.");
  try {
    await assertPublicTarget(input.url);
  } catch (error) {
    if (error instanceof OutboundRefused) throw new Invalid(`That URL cannot be used: ${error.message}.`, { url: [error.message] });
    throw error;
  }
  // Standard Webhooks: "whsec_" and the key in plain base64 (the alphabet its libraries decode).
  const secret = `whsec_${randomBytes(24).toString("base64")}`;
  const at = deps.now();
  return deps.db.transaction(async (tx) => {
    const { id } = await insertSubscription(tx, { name: input.name, url: input.url, events: input.events, secretEncrypted: sealSecret(secret), createdById: actor.id, createdAt: at });
    await recordAudit(tx, {
      actor: auditActor(actor),
      action: "webhook.subscribed",
      entityType: "webhook_subscription",
      entityId: id,
      after: { name: input.name, url: input.url, events: input.events },
      at,
    });
    return { id, secret };
  });
}

export async function deactivateWebhook(deps: Deps, actor: Actor, input: { subscriptionId: string }) {
  if (!mayAdminister(actor)) throw new Forbidden("Only admins manage webhooks.");
  return deps.db.transaction(async (tx) => {
    const done = await deactivateSubscription(tx, input);
    if (!done) throw new NotFound("That active subscription");
    await recordAudit(tx, { actor: auditActor(actor), action: "webhook.deactivated", entityType: "webhook_subscription", entityId: done.id, after: { name: done.name }, at: deps.now() });
    return { deactivated: true };
  });
}

/** Sends a webhook.test event to every subscriber of it, through the same queue as real events. */
export async function sendTestEvent(deps: Deps, actor: Actor) {
  if (!mayAdminister(actor)) throw new Forbidden("Only admins manage webhooks.");
  return deps.db.transaction(async (tx) => {
    const at = deps.now();
    const eventId = await publishEvent(deps, tx, { type: "webhook.test", data: { requestedBy: actor.email }, at });
    await recordAudit(tx, { actor: auditActor(actor), action: "webhook.test_sent", entityType: "webhook_event", entityId: eventId, at });
    return { eventId };
  });
}

export async function webhookOverview(deps: Deps, actor: Actor) {
  if (!seesEverything(actor)) throw new Forbidden("Only admins and auditors see webhooks.");
  const [subscriptions, deliveries] = await Promise.all([listSubscriptions(deps.db), listRecentDeliveries(deps.db, { limit: 50 })]);
  return { subscriptions, deliveries };
}
