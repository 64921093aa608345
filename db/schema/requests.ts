import { sql } from "drizzle-orm";
import { boolean, check, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { entitlements } from "./applications";
import { approverRule, grantKind, requestStatus, stepRoute, stepStatus } from "./enums";
import { identities } from "./identities";

/** People an entitlement's owner names to decide the `named` step of its approval chain. */
export const entitlementApprovers = pgTable(
  "entitlement_approvers",
  {
    entitlementId: uuid()
      .notNull()
      .references(() => entitlements.id, { onDelete: "cascade" }),
    identityId: uuid()
      .notNull()
      .references(() => identities.id, { onDelete: "cascade" }),
    addedById: uuid().references(() => identities.id, { onDelete: "set null" }),
    addedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.entitlementId, t.identityId] }), index("entitlement_approvers_identity").on(t.identityId)],
);

export const accessRequests = pgTable(
  "access_requests",
  {
    id: uuid().primaryKey().defaultRandom(),
    requesterId: uuid()
      .notNull()
      .references(() => identities.id),
    /** Who the access is for: the requester, a report of theirs, or a non-human identity they own. */
    beneficiaryId: uuid()
      .notNull()
      .references(() => identities.id),
    entitlementId: uuid()
      .notNull()
      .references(() => entitlements.id),
    kind: grantKind().notNull(),
    breakGlass: boolean().notNull().default(false),
    durationMinutes: integer(),
    startsAt: timestamp({ withTimezone: true }),
    justification: text().notNull(),
    ticket: text(),
    status: requestStatus().notNull().default("pending"),
    /** An undecided request lapses at this time. */
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    decidedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("access_requests_beneficiary").on(t.beneficiaryId, t.createdAt),
    index("access_requests_pending")
      .on(t.expiresAt)
      .where(sql`${t.status} = 'pending'`),
    index("access_requests_requester").on(t.requesterId, t.createdAt),
    // Asking twice for the same access while the first request waits is refused by the database too.
    uniqueIndex("access_requests_one_pending")
      .on(t.beneficiaryId, t.entitlementId, t.kind)
      .where(sql`${t.status} = 'pending'`),
    check("access_requests_justification", sql`length(trim(${t.justification})) > 0`),
  ],
);

/** One approver's step in a request's chain; steps after the current one wait. */
export const approvalSteps = pgTable(
  "approval_steps",
  {
    id: uuid().primaryKey().defaultRandom(),
    requestId: uuid()
      .notNull()
      .references(() => accessRequests.id, { onDelete: "cascade" }),
    position: integer().notNull(),
    rule: approverRule().notNull(),
    approverId: uuid().references(() => identities.id),
    status: stepStatus().notNull().default("waiting"),
    decidedById: uuid().references(() => identities.id),
    decidedAt: timestamp({ withTimezone: true }),
    /** "Approve shorter": the duration this approver allowed. */
    approvedDurationMinutes: integer(),
    comment: text(),
    /**
     * Set when the step's own approvers left (or may not decide) and it went to someone else:
     * the group now asked (a manager step re-routed to the next manager keeps approverId instead),
     * why, and when.
     */
    routedTo: stepRoute(),
    routedReason: text(),
    routedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    uniqueIndex("approval_steps_request_position").on(t.requestId, t.position),
    index("approval_steps_approver").on(t.approverId, t.status),
    // "Decided by me" in the approvals queue.
    index("approval_steps_decider")
      .on(t.decidedById)
      .where(sql`${t.decidedById} is not null`),
  ],
);
