import { bigint, date, doublePrecision, index, integer, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { applications, entitlements } from "./applications";
import { grantKind } from "./enums";

/**
 * Daily rollup of privilege available and used (lib/domain/metrics/rollup.ts), so the dashboard
 * does not walk every privileged grant, activation and session of the organisation on each
 * view. One row per UTC day and (grant kind, holder category, entitlement, holder department):
 * fine enough for every dashboard filter, coarse enough to stay small. Computed by the same SQL
 * as the live figures; maintained by the metrics-rollup job.
 */
export const metricPrivilegeDaily = pgTable(
  "metric_privilege_daily",
  {
    day: date().notNull(),
    kind: grantKind().notNull(),
    /** human | non_human | third_party */
    category: text().notNull(),
    entitlementId: uuid()
      .notNull()
      .references(() => entitlements.id, { onDelete: "cascade" }),
    /** The holder's department; '' when none. */
    department: text().notNull(),
    grants: integer().notNull(),
    availableHours: doublePrecision().notNull(),
    usedHours: doublePrecision().notNull(),
  },
  (t) => [primaryKey({ columns: [t.day, t.kind, t.category, t.entitlementId, t.department] }), index("metric_privilege_daily_entitlement").on(t.entitlementId, t.day)],
);

/**
 * metric_privilege_daily summed over entitlements: about a hundred rows a day, for the views with
 * no application or owner filter (the default), which would otherwise sum some 15,000 rows a day.
 */
export const metricPrivilegeDailyTotals = pgTable(
  "metric_privilege_daily_totals",
  {
    day: date().notNull(),
    kind: grantKind().notNull(),
    category: text().notNull(),
    department: text().notNull(),
    grants: integer().notNull(),
    availableHours: doublePrecision().notNull(),
    usedHours: doublePrecision().notNull(),
  },
  (t) => [primaryKey({ columns: [t.day, t.kind, t.category, t.department] })],
);

/**
 * Privilege-hours available and used per application, as running totals over the days of
 * metric_privilege_daily (one row per application and day, every day): the hours of a period are
 * the total on its last day less the total on the day before it, two rows per application
 * instead of one per entitlement and day. For "available vs used by application" without an
 * owner, department or identity-type filter. The totals start from an arbitrary base, so only
 * differences mean anything; the day before the rollup's first is kept as that base.
 */
export const metricPrivilegeAppRunning = pgTable(
  "metric_privilege_app_running",
  {
    day: date().notNull(),
    applicationId: uuid()
      .notNull()
      .references(() => applications.id, { onDelete: "cascade" }),
    availableHours: doublePrecision().notNull(),
    usedHours: doublePrecision().notNull(),
  },
  (t) => [primaryKey({ columns: [t.day, t.applicationId] })],
);

/** How far each rollup is computed: its figures are as of computedThrough. */
export const metricRollups = pgTable("metric_rollups", {
  name: text().primaryKey(),
  /** The first day the rollup holds. */
  firstDay: date().notNull(),
  /** Everything up to this moment is in the rollup; later hours are not. */
  computedThrough: timestamp({ withTimezone: true }).notNull(),
  /** The last privileged session id folded in, to notice late-arriving evidence. */
  sessionWatermark: bigint({ mode: "number" }).notNull().default(0),
  /** The last usage event id folded into metric_grant_last_use. */
  usageWatermark: bigint({ mode: "number" }).notNull().default(0),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

/**
 * When each grant was last used (latest privileged session start or successful usage event),
 * folded in incrementally from the evidence ids past the watermarks: the unused-privilege chart
 * reads it instead of probing two ten-million-row tables per grant. No foreign key: evidence may
 * name grants that are gone.
 */
export const metricGrantLastUse = pgTable("metric_grant_last_use", {
  grantId: uuid().primaryKey(),
  lastUsedAt: timestamp({ withTimezone: true }).notNull(),
});

/**
 * Unused standing privilege as of the rollup's moment, by days-since-last-use bucket, holder
 * category, entitlement and department: the unused chart for admins and auditors reads it instead
 * of walking every standing privileged grant. Rewritten whole by each rollup refresh.
 */
export const metricUnusedSnapshot = pgTable(
  "metric_unused_snapshot",
  {
    bucket: text().notNull(),
    category: text().notNull(),
    entitlementId: uuid()
      .notNull()
      .references(() => entitlements.id, { onDelete: "cascade" }),
    department: text().notNull(),
    grants: integer().notNull(),
    neverUsed: integer().notNull(),
  },
  (t) => [primaryKey({ columns: [t.bucket, t.category, t.entitlementId, t.department] })],
);
