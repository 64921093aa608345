import { index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { connectorKind, revocationCause, revocationStatus, verificationMethod } from "./enums";
import { activations, grants } from "./grants";
import { identities } from "./identities";

export const revocations = pgTable(
  "revocations",
  {
    id: uuid().primaryKey().defaultRandom(),
    grantId: uuid()
      .notNull()
      .references(() => grants.id, { onDelete: "cascade" }),
    activationId: uuid().references(() => activations.id, { onDelete: "set null" }),
    cause: revocationCause().notNull(),
    /** The review item, request, finding or job that caused it. */
    causeRef: text(),
    status: revocationStatus().notNull().default("requested"),
    connectorKind: connectorKind().notNull(),
    idempotencyKey: text().notNull(),
    attempts: integer().notNull().default(0),
    nextAttemptAt: timestamp({ withTimezone: true }),
    lastError: text(),
    verification: verificationMethod(),
    requestedById: uuid().references(() => identities.id),
    requestedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    dispatchedAt: timestamp({ withTimezone: true }),
    appliedAt: timestamp({ withTimezone: true }),
    verifiedAt: timestamp({ withTimezone: true }),
    failedAt: timestamp({ withTimezone: true }),
    slaDueAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex("revocations_idempotency_key").on(t.idempotencyKey), index("revocations_grant").on(t.grantId), index("revocations_status").on(t.status, t.nextAttemptAt)],
);

/** Each dispatch or verification attempt, with request and response kept (secrets redacted) as evidence. */
export const revocationAttempts = pgTable(
  "revocation_attempts",
  {
    id: uuid().primaryKey().defaultRandom(),
    revocationId: uuid()
      .notNull()
      .references(() => revocations.id, { onDelete: "cascade" }),
    attempt: integer().notNull(),
    phase: text().notNull(),
    request: jsonb(),
    response: jsonb(),
    outcome: text().notNull(),
    error: text(),
    startedAt: timestamp({ withTimezone: true }).notNull(),
    finishedAt: timestamp({ withTimezone: true }),
  },
  (t) => [index("revocation_attempts_revocation").on(t.revocationId, t.attempt)],
);
