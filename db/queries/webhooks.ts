import { and, arrayContains, desc, eq, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { identities, webhookDeliveries, webhookSubscriptions } from "@/db/schema";

export async function insertSubscription(db: Executor, values: typeof webhookSubscriptions.$inferInsert) {
  const [row] = await db.insert(webhookSubscriptions).values(values).returning({ id: webhookSubscriptions.id });
  return row!;
}

export async function deactivateSubscription(db: Executor, args: { subscriptionId: string }) {
  const rows = await db
    .update(webhookSubscriptions)
    .set({ active: false })
    .where(and(eq(webhookSubscriptions.id, args.subscriptionId), eq(webhookSubscriptions.active, true)))
    .returning({ id: webhookSubscriptions.id, name: webhookSubscriptions.name });
  return rows[0] ?? null;
}

export async function listSubscriptions(db: Executor) {
  return db
    .select({
      id: webhookSubscriptions.id,
      name: webhookSubscriptions.name,
      url: webhookSubscriptions.url,
      events: webhookSubscriptions.events,
      active: webhookSubscriptions.active,
      createdAt: webhookSubscriptions.createdAt,
      createdByName: identities.displayName,
      delivered: sql<number>`(select count(*)::int from webhook_deliveries d where d.subscription_id = ${webhookSubscriptions.id} and d.status = 'delivered')`,
      failed: sql<number>`(select count(*)::int from webhook_deliveries d where d.subscription_id = ${webhookSubscriptions.id} and d.status = 'failed')`,
      pending: sql<number>`(select count(*)::int from webhook_deliveries d where d.subscription_id = ${webhookSubscriptions.id} and d.status = 'pending')`,
    })
    .from(webhookSubscriptions)
    .leftJoin(identities, eq(identities.id, webhookSubscriptions.createdById))
    .orderBy(desc(webhookSubscriptions.active), desc(webhookSubscriptions.createdAt));
}

/** One delivery row per active subscription to the event type, created in the producer's transaction. */
export async function insertDeliveriesFor(db: Executor, args: { eventId: string; eventType: string; payload: unknown; at: Date }) {
  const subscribers = await db
    .select({ id: webhookSubscriptions.id })
    .from(webhookSubscriptions)
    .where(and(eq(webhookSubscriptions.active, true), arrayContains(webhookSubscriptions.events, [args.eventType])));
  if (subscribers.length === 0) return [];
  return db
    .insert(webhookDeliveries)
    .values(subscribers.map((s) => ({ subscriptionId: s.id, eventId: args.eventId, eventType: args.eventType, payload: args.payload, createdAt: args.at })))
    .returning({ id: webhookDeliveries.id });
}

/** The same for many events of one type at once: one query for the subscribers, one insert. */
export async function insertDeliveriesForMany(db: Executor, args: { eventType: string; events: { eventId: string; payload: unknown }[]; at: Date }) {
  if (args.events.length === 0) return [];
  const subscribers = await db
    .select({ id: webhookSubscriptions.id })
    .from(webhookSubscriptions)
    .where(and(eq(webhookSubscriptions.active, true), arrayContains(webhookSubscriptions.events, [args.eventType])));
  if (subscribers.length === 0) return [];
  return db
    .insert(webhookDeliveries)
    .values(subscribers.flatMap((s) => args.events.map((e) => ({ subscriptionId: s.id, eventId: e.eventId, eventType: args.eventType, payload: e.payload, createdAt: args.at }))))
    .returning({ id: webhookDeliveries.id });
}

export async function getDeliveryForSending(db: Executor, args: { deliveryId: string }) {
  const [row] = await db
    .select({ delivery: webhookDeliveries, url: webhookSubscriptions.url, secretEncrypted: webhookSubscriptions.secretEncrypted, active: webhookSubscriptions.active })
    .from(webhookDeliveries)
    .innerJoin(webhookSubscriptions, eq(webhookSubscriptions.id, webhookDeliveries.subscriptionId))
    .where(eq(webhookDeliveries.id, args.deliveryId));
  return row ?? null;
}

export async function recordDeliveryAttempt(db: Executor, args: { deliveryId: string; status: "pending" | "delivered" | "failed"; statusCode: number | null; error: string | null; at: Date }) {
  await db
    .update(webhookDeliveries)
    .set({
      status: args.status,
      attempts: sql`${webhookDeliveries.attempts} + 1`,
      lastStatusCode: args.statusCode,
      lastError: args.error,
      deliveredAt: args.status === "delivered" ? args.at : null,
    })
    .where(eq(webhookDeliveries.id, args.deliveryId));
}

export async function listRecentDeliveries(db: Executor, args: { limit: number }) {
  return db
    .select({
      id: webhookDeliveries.id,
      subscriptionName: webhookSubscriptions.name,
      eventType: webhookDeliveries.eventType,
      status: webhookDeliveries.status,
      attempts: webhookDeliveries.attempts,
      lastStatusCode: webhookDeliveries.lastStatusCode,
      lastError: webhookDeliveries.lastError,
      createdAt: webhookDeliveries.createdAt,
      deliveredAt: webhookDeliveries.deliveredAt,
    })
    .from(webhookDeliveries)
    .innerJoin(webhookSubscriptions, eq(webhookSubscriptions.id, webhookDeliveries.subscriptionId))
    .orderBy(desc(webhookDeliveries.createdAt))
    .limit(args.limit);
}
