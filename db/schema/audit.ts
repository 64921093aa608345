import { bigint, index, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { actorKind } from "./enums";

/**
 * Append-only and hash-chained: each row stores the SHA-256 of the previous row, and the
 * migration adds triggers that refuse UPDATE, DELETE and TRUNCATE. Written only by recordAudit.
 * No foreign keys, so the trail outlives anything it describes.
 */
export const auditEvents = pgTable(
  "audit_events",
  {
    id: bigint({ mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    occurredAt: timestamp({ withTimezone: true, precision: 3 }).notNull(),
    actorKind: actorKind().notNull(),
    actorId: uuid(),
    actorLabel: text().notNull(),
    onBehalfOfId: uuid(),
    action: text().notNull(),
    entityType: text().notNull(),
    entityId: text().notNull(),
    before: jsonb(),
    after: jsonb(),
    reason: text(),
    requestId: text(),
    prevHash: text().notNull(),
    hash: text().notNull(),
  },
  (t) => [
    index("audit_events_entity").on(t.entityType, t.entityId),
    index("audit_events_occurred").on(t.occurredAt),
    // The audit page filters by who and by what, newest first (keyset on id).
    index("audit_events_actor").on(t.actorId, t.id),
    index("audit_events_action").on(t.action, t.id),
  ],
);
