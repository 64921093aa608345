import { sql } from "drizzle-orm";
import { index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { applications } from "./applications";
import { credentialKind } from "./enums";
import { identities } from "./identities";

/** Metadata of a non-human identity's credential. The secret itself is never stored. */
export const credentials = pgTable(
  "credentials",
  {
    id: uuid().primaryKey().defaultRandom(),
    identityId: uuid()
      .notNull()
      .references(() => identities.id, { onDelete: "cascade" }),
    applicationId: uuid().references(() => applications.id, { onDelete: "set null" }),
    kind: credentialKind().notNull(),
    fingerprint: text().notNull(),
    storedIn: text(),
    scopes: text()
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    issuedAt: timestamp({ withTimezone: true }).notNull(),
    lastRotatedAt: timestamp({ withTimezone: true }),
    expiresAt: timestamp({ withTimezone: true }),
    lastUsedAt: timestamp({ withTimezone: true }),
    /** Overrides the application's rotation policy when set. */
    rotationDays: integer(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("credentials_identity").on(t.identityId), uniqueIndex("credentials_fingerprint").on(t.fingerprint)],
);
