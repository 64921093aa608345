import { sql } from "drizzle-orm";
import { index, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { identities } from "./identities";

/** Machine clients' bearer tokens. Only the SHA-256 of the token is stored; the prefix helps people tell them apart. */
export const apiTokens = pgTable(
  "api_tokens",
  {
    id: uuid().primaryKey().defaultRandom(),
    name: text().notNull(),
    scopes: text().array().notNull(),
    /** The identity source a SCIM or ingest token may write to, e.g. "scim:okta-prod". */
    source: text(),
    tokenHash: text().notNull(),
    prefix: text().notNull(),
    createdById: uuid().references(() => identities.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp({ withTimezone: true }),
    expiresAt: timestamp({ withTimezone: true }),
    revokedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    uniqueIndex("api_tokens_hash").on(t.tokenHash),
    index("api_tokens_active")
      .on(t.createdAt)
      .where(sql`${t.revokedAt} is null`),
  ],
);

export const notifications = pgTable(
  "notifications",
  {
    id: uuid().primaryKey().defaultRandom(),
    recipientId: uuid()
      .notNull()
      .references(() => identities.id, { onDelete: "cascade" }),
    kind: text().notNull(),
    subject: text().notNull(),
    body: text().notNull(),
    link: text(),
    dedupeKey: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    deliveredAt: timestamp({ withTimezone: true }),
    readAt: timestamp({ withTimezone: true }),
  },
  (t) => [uniqueIndex("notifications_dedupe").on(t.dedupeKey), index("notifications_recipient").on(t.recipientId, t.createdAt)],
);
