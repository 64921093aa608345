import { sql } from "drizzle-orm";
import { bigint, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { accounts, applications, entitlements } from "./applications";
import { usageKind } from "./enums";
import { activations, grants } from "./grants";
import { identities } from "./identities";
import { accessRequests } from "./requests";

/**
 * Evidence tables are the largest (tens of millions of rows): bigint identity keys, no
 * foreign keys on the hot insert path beyond the ones drift detection joins on.
 */
export const privilegedSessions = pgTable(
  "privileged_sessions",
  {
    id: bigint({ mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    source: text().notNull(),
    sourceSessionId: text().notNull(),
    identityId: uuid().references(() => identities.id, { onDelete: "set null" }),
    accountId: uuid().references(() => accounts.id, { onDelete: "set null" }),
    applicationId: uuid().references(() => applications.id, { onDelete: "set null" }),
    entitlementId: uuid().references(() => entitlements.id, { onDelete: "set null" }),
    grantId: uuid().references(() => grants.id, { onDelete: "set null" }),
    activationId: uuid().references(() => activations.id, { onDelete: "set null" }),
    requestId: uuid().references(() => accessRequests.id, { onDelete: "set null" }),
    login: text(),
    target: text(),
    startedAt: timestamp({ withTimezone: true }).notNull(),
    endedAt: timestamp({ withTimezone: true }),
    durationSeconds: integer(),
    recordingRef: text(),
    eventIds: text().array().notNull().default(sql`'{}'::text[]`),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("privileged_sessions_source_id").on(t.source, t.sourceSessionId),
    index("privileged_sessions_grant").on(t.grantId, t.startedAt),
    index("privileged_sessions_identity").on(t.identityId, t.startedAt),
    index("privileged_sessions_entitlement").on(t.entitlementId, t.startedAt),
  ],
);

export const usageEvents = pgTable(
  "usage_events",
  {
    id: bigint({ mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    source: text().notNull(),
    sourceEventId: text().notNull(),
    kind: usageKind().notNull(),
    action: text().notNull(),
    occurredAt: timestamp({ withTimezone: true }).notNull(),
    identityId: uuid(),
    accountId: uuid(),
    applicationId: uuid(),
    entitlementId: uuid(),
    grantId: uuid(),
    sessionId: bigint({ mode: "number" }),
    target: text(),
    raw: jsonb(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("usage_events_source_id").on(t.source, t.sourceEventId),
    index("usage_events_grant").on(t.grantId, t.occurredAt),
    index("usage_events_identity").on(t.identityId, t.occurredAt),
  ],
);
