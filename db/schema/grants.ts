import { sql } from "drizzle-orm";
import { boolean, check, index, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { accounts, entitlements } from "./applications";
import { activationStatus, grantKind, grantSource, grantStatus, liveState } from "./enums";
import { identities } from "./identities";
import { accessRequests } from "./requests";

export const grants = pgTable(
  "grants",
  {
    id: uuid().primaryKey().defaultRandom(),
    identityId: uuid()
      .notNull()
      .references(() => identities.id, { onDelete: "cascade" }),
    entitlementId: uuid()
      .notNull()
      .references(() => entitlements.id, { onDelete: "cascade" }),
    accountId: uuid().references(() => accounts.id, { onDelete: "set null" }),
    kind: grantKind().notNull(),
    status: grantStatus().notNull().default("active"),
    source: grantSource().notNull(),
    externalId: text(),
    requestId: uuid().references(() => accessRequests.id, { onDelete: "set null" }),
    requestedById: uuid().references(() => identities.id, { onDelete: "set null" }),
    approvedById: uuid().references(() => identities.id, { onDelete: "set null" }),
    approvedAt: timestamp({ withTimezone: true }),
    justification: text(),
    ticket: text(),
    grantedAt: timestamp({ withTimezone: true }).notNull(),
    expiresAt: timestamp({ withTimezone: true }),
    nextReviewDue: timestamp({ withTimezone: true }),
    lastReviewedAt: timestamp({ withTimezone: true }),
    endedAt: timestamp({ withTimezone: true }),
    /** Live state as last read from the target system (snapshot import, connector read-back). */
    liveState: liveState().notNull().default("unknown"),
    liveCheckedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("grants_identity").on(t.identityId, t.status),
    index("grants_entitlement").on(t.entitlementId, t.status, t.id),
    // Who holds live access to an entitlement, answered from the index alone (owner scoping, campaigns).
    index("grants_live_holders")
      .on(t.entitlementId, t.identityId)
      .where(sql`${t.status} in ('active', 'pending_revocation')`),
    // Grant lists, newest first: of everyone, of one holder, of one entitlement. Each carries the
    // columns list filters and scoping read, so a page is found in the index before any row is read.
    index("grants_list").on(t.grantedAt, t.id, t.identityId, t.entitlementId, t.kind, t.status),
    index("grants_holder_newest").on(t.identityId, t.grantedAt, t.id, t.entitlementId, t.kind, t.status),
    index("grants_entitlement_newest").on(t.entitlementId, t.grantedAt, t.id, t.identityId, t.kind, t.status),
    index("grants_expiring")
      .on(t.expiresAt)
      .where(sql`${t.status} = 'active' and ${t.expiresAt} is not null`),
    index("grants_review_due")
      .on(t.nextReviewDue)
      .where(sql`${t.status} = 'active'`),
    uniqueIndex("grants_one_live_per_kind")
      .on(t.identityId, t.entitlementId, t.kind)
      .where(sql`${t.status} in ('active', 'pending_revocation')`),
    check("grants_time_bound_expires", sql`${t.kind} <> 'time_bound' or ${t.expiresAt} is not null`),
  ],
);

/** A just-in-time window on an eligible grant. The privilege is live only inside it. */
export const activations = pgTable(
  "activations",
  {
    id: uuid().primaryKey().defaultRandom(),
    grantId: uuid()
      .notNull()
      .references(() => grants.id, { onDelete: "cascade" }),
    identityId: uuid()
      .notNull()
      .references(() => identities.id, { onDelete: "cascade" }),
    status: activationStatus().notNull().default("active"),
    startsAt: timestamp({ withTimezone: true }).notNull(),
    endsAt: timestamp({ withTimezone: true }).notNull(),
    /** When it really ended (deactivated early, or expired). */
    endedAt: timestamp({ withTimezone: true }),
    justification: text().notNull(),
    ticket: text(),
    breakGlass: boolean().notNull().default(false),
    incidentId: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("activations_grant").on(t.grantId, t.startsAt),
    index("activations_identity").on(t.identityId, t.startsAt),
    // One open window per grant, enforced by the database so two concurrent activations cannot both win.
    uniqueIndex("activations_one_open")
      .on(t.grantId)
      .where(sql`${t.status} in ('pending', 'active')`),
    // The expiry sweep finds windows whose end has passed without reading closed history.
    index("activations_due")
      .on(t.endsAt)
      .where(sql`${t.status} = 'active'`),
    check("activations_window", sql`${t.endsAt} > ${t.startsAt}`),
  ],
);
