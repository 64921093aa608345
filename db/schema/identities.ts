import { sql } from "drizzle-orm";
import { check, date, index, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid, jsonb } from "drizzle-orm/pg-core";
import { identityKind, identityStatus, identityType, lifecycleKind, platformRole } from "./enums";

const timestamps = {
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
};

export const identities = pgTable(
  "identities",
  {
    id: uuid().primaryKey().defaultRandom(),
    /** Where the identity came from ("demo", "scim:okta-prod", "import:hr") and its id there. */
    source: text().notNull(),
    externalId: text(),
    kind: identityKind().notNull(),
    type: identityType().notNull(),
    displayName: text().notNull(),
    email: text(),
    userName: text(),
    status: identityStatus().notNull().default("active"),
    department: text(),
    title: text(),
    /** Third parties: the company they work for. */
    organization: text(),
    managerId: uuid().references((): any => identities.id, { onDelete: "set null" }),
    /** Non-human identities: the accountable human. Nullable because ownerless NHIs are a finding, not an impossibility. */
    ownerId: uuid().references((): any => identities.id, { onDelete: "set null" }),
    description: text(),
    employeeNumber: text(),
    /** The SCIM resource as the identity provider last wrote it, for attributes Accord does not model. */
    scimResource: jsonb(),
    startedOn: date(),
    leftAt: timestamp({ withTimezone: true }),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("identities_source_external_id").on(t.source, t.externalId),
    uniqueIndex("identities_email_lower").on(sql`lower(${t.email})`),
    index("identities_manager").on(t.managerId),
    index("identities_owner").on(t.ownerId),
    index("identities_list").on(t.displayName, t.id),
    // Searches by part of a name or email (pg_trgm, created by the migration).
    index("identities_display_name_trgm").using("gin", t.displayName.op("gin_trgm_ops")),
    index("identities_email_trgm").using("gin", t.email.op("gin_trgm_ops")),
    index("identities_department").on(t.department),
    // Identity providers look users up by userName and externalId on every sync.
    index("identities_scim_user_name")
      .on(t.source, sql`lower(${t.userName})`)
      .where(sql`${t.scimResource} is not null`),
    index("identities_scim_external_id")
      .on(t.source, sql`(${t.scimResource}->>'externalId')`)
      .where(sql`${t.scimResource} is not null`),
    check("identities_kind_matches_type", sql`(${t.kind} = 'human') = (${t.type} in ('employee', 'contractor', 'third_party'))`),
  ],
);

/** Platform roles given by an admin. Manager, owner and reviewer are derived from the data, never stored. */
export const identityRoles = pgTable(
  "identity_roles",
  {
    identityId: uuid()
      .notNull()
      .references(() => identities.id, { onDelete: "cascade" }),
    role: platformRole().notNull(),
    grantedById: uuid().references(() => identities.id),
    grantedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.identityId, t.role] })],
);

export const lifecycleEvents = pgTable(
  "lifecycle_events",
  {
    id: uuid().primaryKey().defaultRandom(),
    identityId: uuid()
      .notNull()
      .references(() => identities.id, { onDelete: "cascade" }),
    kind: lifecycleKind().notNull(),
    source: text().notNull(),
    changes: jsonb().$type<Record<string, { from: unknown; to: unknown }>>().notNull().default({}),
    occurredAt: timestamp({ withTimezone: true }).notNull(),
    recordedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("lifecycle_events_identity").on(t.identityId, t.occurredAt)],
);
