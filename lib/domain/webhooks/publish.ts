import { randomUUID } from "node:crypto";
import type { Executor } from "@/db/client";
import { insertDeliveriesFor, insertDeliveriesForMany } from "@/db/queries/webhooks";
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

/**
 * Many events of one type from one change (e.g. every finding a recompute opened), in batches:
 * one insert of deliveries and one of jobs per batch instead of a round trip per event.
 */
export async function publishEvents(deps: Deps, tx: Executor, batch: { type: WebhookEventType; items: Record<string, unknown>[]; at: Date }): Promise<number> {
  const BATCH = 1_000;
  let deliveries = 0;
  for (let start = 0; start < batch.items.length; start += BATCH) {
    const events = batch.items.slice(start, start + BATCH).map((data) => {
      const eventId = randomUUID();
      return { eventId, payload: { id: eventId, type: batch.type, occurredAt: batch.at.toISOString(), data } };
    });
    const rows = await insertDeliveriesForMany(tx, { eventType: batch.type, events, at: batch.at });
    // No subscriber to this type: nothing to deliver for the rest of the batch either.
    if (rows.length === 0) return 0;
    await deps.jobs.sendManyInTransaction(
      tx,
      QUEUES.webhookDeliver,
      rows.map((r) => ({ data: { deliveryId: r.id }, singletonKey: r.id })),
    );
    deliveries += rows.length;
  }
  return deliveries;
}
