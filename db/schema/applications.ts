import { sql } from "drizzle-orm";
import { boolean, check, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { accountStatus, approverRule, connectorKind, entitlementKind, grantKind, riskLevel } from "./enums";
import { identities } from "./identities";

export const applications = pgTable(
  "applications",
  {
    id: uuid().primaryKey().defaultRandom(),
    source: text().notNull(),
    externalId: text(),
    name: text().notNull(),
    description: text(),
    riskTier: riskLevel().notNull().default("medium"),
    connectorKind: connectorKind().notNull().default("manual"),
    /** Non-secret connector settings (base URL, group mapping). Secrets live encrypted in connectorSecret. */
    connectorConfig: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    connectorSecret: text(),
    revocationSlaHours: integer().notNull().default(24),
    credentialRotationDays: integer().notNull().default(90),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("applications_name").on(t.name), uniqueIndex("applications_source_external_id").on(t.source, t.externalId)],
);

export const applicationOwners = pgTable(
  "application_owners",
  {
    applicationId: uuid()
      .notNull()
      .references(() => applications.id, { onDelete: "cascade" }),
    identityId: uuid()
      .notNull()
      .references(() => identities.id, { onDelete: "cascade" }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.applicationId, t.identityId] }), index("application_owners_identity").on(t.identityId)],
);

/** An identity's account inside an application. identityId null = orphan account. */
export const accounts = pgTable(
  "accounts",
  {
    id: uuid().primaryKey().defaultRandom(),
    applicationId: uuid()
      .notNull()
      .references(() => applications.id, { onDelete: "cascade" }),
    identityId: uuid().references(() => identities.id, { onDelete: "set null" }),
    username: text().notNull(),
    externalId: text(),
    status: accountStatus().notNull().default("active"),
    lastSeenAt: timestamp({ withTimezone: true }),
    lastLoginAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("accounts_application_username").on(t.applicationId, sql`lower(${t.username})`), index("accounts_identity").on(t.identityId)],
);

export const entitlements = pgTable(
  "entitlements",
  {
    id: uuid().primaryKey().defaultRandom(),
    applicationId: uuid()
      .notNull()
      .references(() => applications.id, { onDelete: "cascade" }),
    externalId: text(),
    name: text().notNull(),
    kind: entitlementKind().notNull().default("role"),
    /** What the access lets someone do, in words a reviewer understands. */
    description: text(),
    privileged: boolean().notNull().default(false),
    riskLevel: riskLevel().notNull().default("low"),
    ownerId: uuid().references(() => identities.id, { onDelete: "set null" }),
    breakGlass: boolean().notNull().default(false),
    // Request policy, set by the entitlement's owner.
    allowedKinds: grantKind()
      .array()
      .notNull()
      .default(sql`'{time_bound,eligible,standing}'::grant_kind[]`),
    maxDurationMinutes: integer(),
    requiresTicket: boolean().notNull().default(false),
    approvalChain: approverRule()
      .array()
      .notNull()
      .default(sql`'{manager,app_owner}'::approver_rule[]`),
    twoPersonRule: boolean().notNull().default(true),
    /** For entitlements provisioned as SCIM groups: the group resource as last written. */
    scimResource: jsonb(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("entitlements_application_name").on(t.applicationId, t.name),
    index("entitlements_owner").on(t.ownerId),
    index("entitlements_privileged")
      .on(t.applicationId)
      .where(sql`${t.privileged}`),
    index("entitlements_name_trgm").using("gin", t.name.op("gin_trgm_ops")),
    check("entitlements_max_duration_positive", sql`${t.maxDurationMinutes} is null or ${t.maxDurationMinutes} > 0`),
  ],
);

/**
 * A separation-of-duties rule: a named set of entitlements, possibly across applications, of
 * which nobody may hold more than one. A pair is a set of two.
 */
export const sodRules = pgTable(
  "sod_rules",
  {
    id: uuid().primaryKey().defaultRandom(),
    name: text().notNull(),
    description: text(),
    severity: riskLevel().notNull().default("high"),
    createdById: uuid().references(() => identities.id, { onDelete: "set null" }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("sod_rules_name").on(sql`lower(${t.name})`)],
);

/** The entitlements of a rule. Deleting an entitlement drops it from its rules. */
export const sodRuleEntitlements = pgTable(
  "sod_rule_entitlements",
  {
    ruleId: uuid()
      .notNull()
      .references(() => sodRules.id, { onDelete: "cascade" }),
    entitlementId: uuid()
      .notNull()
      .references(() => entitlements.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.ruleId, t.entitlementId] }), index("sod_rule_entitlements_entitlement").on(t.entitlementId)],
);
