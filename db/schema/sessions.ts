import { sql } from "drizzle-orm";
import { bigint, boolean, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
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
    /** The user name as the source system wrote it; kept when no account matches (orphan signal). */
    accountName: text(),
    login: text(),
    target: text(),
    /** Everyone the source says took part (Teleport participants, joiners). */
    participants: text()
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    /**
     * Set at ingest: the identity is known but no approved grant (or, for an eligible grant, no
     * activation window) covered the session's start. Read by drift detection.
     */
    usedWithoutApproval: boolean().notNull().default(false),
    startedAt: timestamp({ withTimezone: true }).notNull(),
    endedAt: timestamp({ withTimezone: true }),
    durationSeconds: integer(),
    recordingRef: text(),
    eventIds: text()
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("privileged_sessions_source_id").on(t.source, t.sourceSessionId),
    index("privileged_sessions_grant").on(t.grantId, t.startedAt),
    index("privileged_sessions_identity").on(t.identityId, t.startedAt),
    index("privileged_sessions_entitlement").on(t.entitlementId, t.startedAt),
    index("privileged_sessions_list").on(t.startedAt, t.id),
    index("privileged_sessions_application").on(t.applicationId, t.startedAt),
    index("privileged_sessions_unapproved")
      .on(t.startedAt)
      .where(sql`${t.usedWithoutApproval}`),
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
    activationId: uuid(),
    /** The access request behind the grant, or the one an access_request.* event is about. */
    requestId: uuid(),
    sessionId: bigint({ mode: "number" }),
    /** The user name as the source system wrote it; kept when no account matches (orphan signal). */
    accountName: text(),
    target: text(),
    /** The source said the attempt failed (a refused sign-in, a denied call): not a use of access. */
    failed: boolean().notNull().default(false),
    /** False for events that are evidence but not a use of the access (an access request, an MFA or password change). */
    isUse: boolean().notNull().default(true),
    /** Set at ingest: identity known, but no approved grant or activation window covered the event. */
    usedWithoutApproval: boolean().notNull().default(false),
    raw: jsonb(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("usage_events_source_id").on(t.source, t.sourceEventId),
    index("usage_events_grant").on(t.grantId, t.occurredAt),
    index("usage_events_identity").on(t.identityId, t.occurredAt),
    index("usage_events_session")
      .on(t.sessionId)
      .where(sql`${t.sessionId} is not null`),
    index("usage_events_unapproved")
      .on(t.occurredAt)
      .where(sql`${t.usedWithoutApproval}`),
    index("usage_events_unmatched")
      .on(t.applicationId, t.accountName)
      .where(sql`${t.accountId} is null`),
  ],
);
