import { bigint, index, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { identities } from "./identities";

/**
 * One evidence export an auditor or admin asked for: who, what scope, which format, and how far
 * the stream got. The bundle itself is never stored; it is streamed from the database once, and
 * its SHA-256 is kept here and in the audit trail so a copy handed around can be recognised.
 */
export const evidenceExports = pgTable(
  "evidence_exports",
  {
    id: uuid().primaryKey().defaultRandom(),
    requestedById: uuid()
      .notNull()
      .references(() => identities.id),
    /** { kind: "campaign", campaignId } or { kind: "period", from, to }, validated by the export service. */
    scope: jsonb().$type<Record<string, unknown>>().notNull(),
    /** "bundle" (zip), or one table as "csv" or "json". */
    format: text({ enum: ["bundle", "csv", "json"] }).notNull(),
    tableName: text(),
    /** The audit segment reaches back past this published checkpoint, so its holder can check it. */
    sinceCheckpointId: bigint({ mode: "number" }),
    /** The checkpoint published for this export: the audit head the bundle is signed up to. */
    checkpointId: bigint({ mode: "number" }),
    status: text({ enum: ["ready", "streaming", "completed", "failed"] })
      .notNull()
      .default("ready"),
    rowsExpected: bigint({ mode: "number" }).notNull().default(0),
    rowsWritten: bigint({ mode: "number" }).notNull().default(0),
    bytesWritten: bigint({ mode: "number" }).notNull().default(0),
    sha256: text(),
    error: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp({ withTimezone: true }),
    finishedAt: timestamp({ withTimezone: true }),
  },
  (t) => [index("evidence_exports_recent").on(t.createdAt, t.id)],
);

/**
 * Signed statements of the audit trail's head (id, hash, time). Published on every export and on
 * a schedule; whoever keeps one can later prove that nothing up to that head was rewritten.
 */
export const auditCheckpoints = pgTable(
  "audit_checkpoints",
  {
    id: bigint({ mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    headId: bigint({ mode: "number" }).notNull(),
    headHash: text().notNull(),
    headAt: timestamp({ withTimezone: true, precision: 3 }).notNull(),
    issuedAt: timestamp({ withTimezone: true, precision: 3 }).notNull(),
    origin: text().notNull(),
    reason: text({ enum: ["export", "schedule", "manual"] }).notNull(),
    /** SHA-256 of the public key (SPKI DER), hex: which key signed. */
    keyId: text().notNull(),
    /** The signer's public key (SPKI DER, base64), so a checkpoint stays checkable after the key is rotated. */
    publicKey: text().notNull(),
    /** Ed25519 over the checkpoint's text form (lib/domain/evidence/checkpoint.ts), base64. */
    signature: text().notNull(),
  },
  (t) => [index("audit_checkpoints_head").on(t.headId)],
);

/**
 * Keys Accord generated for itself when none was configured (the development default for the
 * checkpoint signing key). The private key is sealed with AES-256-GCM (lib/crypto/secret-box).
 */
export const signingKeys = pgTable("signing_keys", {
  purpose: text().primaryKey(),
  keyId: text().notNull(),
  publicKey: text().notNull(),
  sealedPrivateKey: text().notNull(),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

export type EvidenceExport = typeof evidenceExports.$inferSelect;
export type AuditCheckpoint = typeof auditCheckpoints.$inferSelect;
