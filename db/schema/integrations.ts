import { sql } from "drizzle-orm";
import { boolean, customType, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { applications } from "./applications";
import { importStatus, webhookDeliveryStatus } from "./enums";
import { identities } from "./identities";

const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => "bytea" });

/**
 * A bulk import: the uploaded file is kept until it is applied, so the preview an admin saw is
 * exactly what gets imported, and a large file can be processed by a job with visible progress.
 */
export const importBatches = pgTable(
  "import_batches",
  {
    id: uuid().primaryKey().defaultRandom(),
    kind: text().notNull(),
    format: text().notNull(),
    filename: text().notNull(),
    sha256: text().notNull(),
    content: bytea().notNull(),
    /** A snapshot import for one application marks its grants missing from the file as no longer live. */
    snapshotApplicationId: uuid().references(() => applications.id, { onDelete: "set null" }),
    status: importStatus().notNull().default("uploaded"),
    totalRows: integer(),
    processedRows: integer().notNull().default(0),
    summary: jsonb().$type<Record<string, unknown>>(),
    errors: jsonb().$type<{ row: number; column: string; message: string }[]>(),
    errorCount: integer().notNull().default(0),
    createdById: uuid().references(() => identities.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** When the apply was claimed: a batch "applying" long after it, with no transaction running, was abandoned by a server that stopped. */
    applyStartedAt: timestamp({ withTimezone: true }),
    appliedAt: timestamp({ withTimezone: true }),
  },
  (t) => [index("import_batches_created").on(t.createdAt)],
);

/** Outbound webhooks: other systems subscribe to Accord's events; every delivery is signed and logged. */
export const webhookSubscriptions = pgTable("webhook_subscriptions", {
  id: uuid().primaryKey().defaultRandom(),
  name: text().notNull(),
  url: text().notNull(),
  events: text().array().notNull(),
  /** HMAC-SHA256 signing secret, encrypted at rest; shown once when created. */
  secretEncrypted: text().notNull(),
  active: boolean().notNull().default(true),
  createdById: uuid().references(() => identities.id),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    id: uuid().primaryKey().defaultRandom(),
    subscriptionId: uuid()
      .notNull()
      .references(() => webhookSubscriptions.id, { onDelete: "cascade" }),
    eventId: uuid().notNull(),
    eventType: text().notNull(),
    payload: jsonb().notNull(),
    status: webhookDeliveryStatus().notNull().default("pending"),
    attempts: integer().notNull().default(0),
    lastStatusCode: integer(),
    lastError: text(),
    nextAttemptAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    deliveredAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    uniqueIndex("webhook_deliveries_event").on(t.subscriptionId, t.eventId),
    index("webhook_deliveries_pending")
      .on(t.nextAttemptAt)
      .where(sql`${t.status} = 'pending'`),
  ],
);
