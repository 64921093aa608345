import { index, integer, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { identities } from "./identities";

/** An identity provider account linked to an Accord identity (next-auth's "account"). */
export const authAccounts = pgTable(
  "auth_accounts",
  {
    identityId: uuid()
      .notNull()
      .references(() => identities.id, { onDelete: "cascade" }),
    type: text().notNull(),
    provider: text().notNull(),
    providerAccountId: text().notNull(),
    expiresAt: integer(),
    tokenType: text(),
    scope: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.provider, t.providerAccountId] }), index("auth_accounts_identity").on(t.identityId)],
);

/**
 * Database sessions, so that signing out, suspending or removing someone ends their access on
 * the next request. Only the SHA-256 of the cookie's token is stored.
 */
export const authSessions = pgTable(
  "auth_sessions",
  {
    tokenHash: text().primaryKey(),
    identityId: uuid()
      .notNull()
      .references(() => identities.id, { onDelete: "cascade" }),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    method: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("auth_sessions_identity").on(t.identityId)],
);
