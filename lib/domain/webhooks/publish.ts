import { randomUUID } from "node:crypto";
import type { Executor } from "@/db/client";
import { insertDeliveriesFor } from "@/db/queries/webhooks";
import { QUEUES } from "@/lib/jobs/queue";
import type { Deps } from "@/lib/domain/deps";
import type { WebhookEventType } from "./events";

/**
 * Announces a domain event to webhook subscribers. Call it inside the transaction of the change:
 * the delivery rows and their jobs commit with it, or not at all.
 */
export async function publishEvent(deps: Deps, tx: Executor, event: { type: WebhookEventType; data: Record<string, unknown>; at: Date }): Promise<string> {
  const eventId = randomUUID();
  const payload = { id: eventId, type: event.type, occurredAt: event.at.toISOString(), data: event.data };
  const deliveries = await insertDeliveriesFor(tx, { eventId, eventType: event.type, payload, at: event.at });
  for (const delivery of deliveries) {
    await deps.jobs.sendInTransaction(tx, QUEUES.webhookDeliver, { deliveryId: delivery.id }, { singletonKey: delivery.id });
  }
  return eventId;
}
