import { index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { accounts, applications, entitlements } from "./applications";
import { findingKind, findingStatus, riskLevel } from "./enums";
import { grants } from "./grants";
import { identities } from "./identities";

export const findings = pgTable(
  "findings",
  {
    id: uuid().primaryKey().defaultRandom(),
    kind: findingKind().notNull(),
    severity: riskLevel().notNull(),
    status: findingStatus().notNull().default("open"),
    /** Stable key so a recompute updates the same finding instead of opening a twin. */
    dedupeKey: text().notNull(),
    identityId: uuid().references(() => identities.id, { onDelete: "cascade" }),
    grantId: uuid().references(() => grants.id, { onDelete: "cascade" }),
    accountId: uuid().references(() => accounts.id, { onDelete: "cascade" }),
    entitlementId: uuid().references(() => entitlements.id, { onDelete: "cascade" }),
    applicationId: uuid().references(() => applications.id, { onDelete: "cascade" }),
    ownerId: uuid().references(() => identities.id, { onDelete: "set null" }),
    reason: text().notNull(),
    evidence: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    firstSeenAt: timestamp({ withTimezone: true }).notNull(),
    lastSeenAt: timestamp({ withTimezone: true }).notNull(),
    resolvedAt: timestamp({ withTimezone: true }),
    acceptedUntil: timestamp({ withTimezone: true }),
    acceptedById: uuid().references(() => identities.id),
    acceptReason: text(),
  },
  (t) => [
    uniqueIndex("findings_dedupe_key").on(t.dedupeKey),
    // The findings list's order (most severe, then oldest): a page is read straight off the index.
    index("findings_open").on(t.status, t.severity.desc(), t.firstSeenAt, t.id),
    index("findings_identity").on(t.identityId),
    index("findings_grant").on(t.grantId),
  ],
);
