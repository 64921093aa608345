import { sql } from "drizzle-orm";
import { boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { campaignStatus, closePolicy, recommendation, recurrence, reviewDecision, reviewerRule, reviewItemStatus } from "./enums";
import { revocations } from "./revocations";
import { identities } from "./identities";

export const campaigns = pgTable(
  "campaigns",
  {
    id: uuid().primaryKey().defaultRandom(),
    name: text().notNull(),
    description: text(),
    /** Validated by the campaign service's zod schema: applications, manager, privileged only, NHI, SoD, ... */
    scope: jsonb().$type<Record<string, unknown>>().notNull(),
    reviewerRule: reviewerRule().notNull(),
    namedReviewerIds: uuid()
      .array()
      .notNull()
      .default(sql`'{}'::uuid[]`),
    fallbackReviewerId: uuid().references(() => identities.id),
    secondStageRule: reviewerRule(),
    /** The second stage reviews only privileged items (e.g. manager, then app owner for admin rights). */
    secondStagePrivilegedOnly: boolean().notNull().default(true),
    /** How far back the evidence (sessions, usage) reaches. */
    windowDays: integer().notNull().default(90),
    /** Certifying sets the grant's next review this many days out, by risk. */
    privilegedReviewDays: integer().notNull().default(90),
    standardReviewDays: integer().notNull().default(365),
    /** Ad-hoc campaigns collect one-off reviews (break-glass use, findings); they stay open and never close. */
    adHoc: boolean().notNull().default(false),
    status: campaignStatus().notNull().default("draft"),
    startsAt: timestamp({ withTimezone: true }),
    dueAt: timestamp({ withTimezone: true }),
    reminderDaysBefore: integer()
      .array()
      .notNull()
      .default(sql`'{7,1}'::integer[]`),
    escalateTo: text().notNull().default("manager"),
    closePolicy: closePolicy().notNull().default("keep_and_flag"),
    /**
     * When revoke and reduce decisions reach the revocation pipeline: "at_close" keeps them as
     * drafts reviewers can change until the campaign closes; "on_decision" removes access at once.
     */
    removals: text({ enum: ["at_close", "on_decision"] })
      .notNull()
      .default("at_close"),
    recurrence: recurrence().notNull().default("none"),
    recurrenceDays: integer(),
    /** The campaign this run was generated from, for recurring series. */
    seriesId: uuid(),
    runNumber: integer().notNull().default(1),
    /** "Extend once" close policy: set when the due date was pushed back, so it happens only once. */
    extendedAt: timestamp({ withTimezone: true }),
    createdById: uuid().references(() => identities.id),
    launchedAt: timestamp({ withTimezone: true }),
    closedAt: timestamp({ withTimezone: true }),
    itemCount: integer().notNull().default(0),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("campaigns_status").on(t.status, t.dueAt),
    // Several app instances may run the scheduler: a run of a series can exist once.
    uniqueIndex("campaigns_series_run").on(t.seriesId, t.runNumber),
  ],
);

/**
 * grantId, identityId, entitlementId, reviewerId and originalReviewerId are deliberately not
 * foreign keys: a launch writes 100,000 items, and a key check per row and column (each a lookup
 * that also locks the grant or identity row, writing WAL) was a fifth of its time. Instead a
 * statement trigger (drizzle/*_review_items_reference_check.sql) refuses, once per INSERT or
 * UPDATE, any item naming a grant, identity or entitlement that does not exist. Those rows are
 * never deleted (people leave, grants are revoked: both are states), and an item does not need
 * them afterwards: its evidence snapshot records who held what, and who was asked.
 */
export const reviewItems = pgTable(
  "review_items",
  {
    id: uuid().primaryKey().defaultRandom(),
    campaignId: uuid()
      .notNull()
      .references(() => campaigns.id, { onDelete: "cascade" }),
    grantId: uuid(),
    /** What the item is about, unique per campaign and stage: the grant id, or "break_glass:<activation id>". */
    subjectKey: text().notNull(),
    identityId: uuid().notNull(),
    /** The holder's name at launch: the queue's sort key, kept out of the evidence document so sorting never reads it. */
    subjectName: text().notNull().default(""),
    entitlementId: uuid().notNull(),
    stage: integer().notNull().default(1),
    reviewerId: uuid(),
    originalReviewerId: uuid(),
    /** Why this reviewer: the rule that found them, or why the fallback was used. */
    reviewerReason: text().notNull().default(""),
    dueAt: timestamp({ withTimezone: true }),
    remindedAt: timestamp({ withTimezone: true }),
    escalatedAt: timestamp({ withTimezone: true }),
    /** Optimistic concurrency: a decision names the version it saw, so two reviewers never overwrite each other. */
    version: integer().notNull().default(0),
    /** A reduce decision's target, applied when the removal takes effect. */
    reduceTo: text({ enum: ["eligible", "time_bound"] }),
    reduceExpiresAt: timestamp({ withTimezone: true }),
    revocationId: uuid().references(() => revocations.id, { onDelete: "set null" }),
    status: reviewItemStatus().notNull().default("pending"),
    decision: reviewDecision(),
    decidedById: uuid().references(() => identities.id),
    decidedAt: timestamp({ withTimezone: true }),
    comment: text(),
    secondsSpent: integer(),
    bulk: boolean().notNull().default(false),
    recommendation: recommendation().notNull().default("none"),
    recommendationReason: text(),
    /** What the reviewer was shown, frozen at launch so the record later proves it. */
    evidence: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    snapshotAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // My reviews reads a reviewer's items in holder-name order, keyset-paged: straight off this index.
    // The columns after id never change the order (id is unique); they carry what the filters test
    // (campaign, entitlement, recommendation), so a filtered page is found from the index alone.
    index("review_items_reviewer_queue").on(t.reviewerId, t.status, t.subjectName, t.id, t.campaignId, t.entitlementId, t.recommendation),
    index("review_items_campaign").on(t.campaignId, t.status),
    index("review_items_grant").on(t.grantId),
    uniqueIndex("review_items_subject").on(t.campaignId, t.subjectKey, t.stage),
  ],
);

/**
 * How many items each reviewer has pending and decided, per campaign and application: the filter
 * facets and totals of My reviews, without reading the reviewer's queue. Kept by statement
 * triggers on review_items (drizzle/*_review_queue_counts_*.sql), which append one signed delta
 * row per group a statement changes, so concurrent writers never wait on each other; readers sum
 * the rows, and fold a reviewer's deltas into one row per group when they pile up
 * (db/queries/reviews.ts).
 */
export const reviewQueueCounts = pgTable(
  "review_queue_counts",
  {
    reviewerId: uuid().notNull(),
    campaignId: uuid()
      .notNull()
      .references(() => campaigns.id, { onDelete: "cascade" }),
    applicationId: uuid().notNull(),
    pending: integer().notNull(),
    decided: integer().notNull(),
  },
  (t) => [index("review_queue_counts_reviewer").on(t.reviewerId)],
);

/** Every decision ever made on an item, including ones undone before the campaign closed. */
export const reviewDecisions = pgTable(
  "review_decisions",
  {
    id: uuid().primaryKey().defaultRandom(),
    reviewItemId: uuid()
      .notNull()
      .references(() => reviewItems.id, { onDelete: "cascade" }),
    decision: reviewDecision().notNull(),
    actorId: uuid()
      .notNull()
      .references(() => identities.id),
    comment: text(),
    secondsSpent: integer(),
    bulk: boolean().notNull().default(false),
    reassignedToId: uuid().references(() => identities.id),
    undoneAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("review_decisions_item").on(t.reviewItemId, t.createdAt)],
);

/**
 * Peer counts for a launch in progress, computed once and read by every slice: how many active
 * people share a department and title (entitlementId null), and how many of them hold each
 * entitlement. Deleted when the launch finishes.
 */
export const launchPeerStats = pgTable(
  "launch_peer_stats",
  {
    campaignId: uuid()
      .notNull()
      .references(() => campaigns.id, { onDelete: "cascade" }),
    department: text().notNull(),
    title: text().notNull(),
    entitlementId: uuid(),
    n: integer().notNull(),
  },
  (t) => [index("launch_peer_stats_lookup").on(t.campaignId, t.department, t.title, t.entitlementId)],
);

/**
 * A launch's working set: the grants its scope selected when the launch began, with their review
 * history (earlier decisions, open findings) gathered once for all of them, before any slice adds
 * items. Slices take rows from here and delete them in the statement that snapshots their items,
 * so what remains is exactly what a resumed launch still has to do. Empty when the launch finishes.
 */
export const launchGrants = pgTable(
  "launch_grants",
  {
    campaignId: uuid()
      .notNull()
      .references(() => campaigns.id, { onDelete: "cascade" }),
    grantId: uuid().notNull(),
    entitlementId: uuid().notNull(),
    /** The latest 3 decisions on the grant in other campaigns, as the evidence lists them; null when none. */
    previousDecisions: jsonb(),
    /** The grant's open findings, as the evidence lists them; null when none. */
    findings: jsonb(),
  },
  (t) => [primaryKey({ columns: [t.campaignId, t.grantId] })],
);
