import { createHash } from "node:crypto";
import canonicalize from "canonicalize";

/** The hash of the (imaginary) row before the first: the chain's anchor. */
export const GENESIS_HASH = "0".repeat(64);

/** The fields of an audit event that its hash covers (everything but the database id). */
export interface AuditContent {
  occurredAt: Date;
  actorKind: "human" | "system" | "api_token";
  actorId: string | null;
  actorLabel: string;
  onBehalfOfId: string | null;
  action: string;
  entityType: string;
  entityId: string;
  before: unknown;
  after: unknown;
  reason: string | null;
  requestId: string | null;
}

/**
 * SHA-256 over the previous hash and the RFC 8785 canonical JSON of the content, so the
 * result does not depend on key order or on how jsonb stores the before/after documents.
 */
export function auditHash(prevHash: string, content: AuditContent): string {
  // Name the covered fields: a row read back carries id and hashes that must not be hashed.
  const canonical = canonicalize({
    occurredAt: content.occurredAt.toISOString(),
    actorKind: content.actorKind,
    actorId: content.actorId,
    actorLabel: content.actorLabel,
    onBehalfOfId: content.onBehalfOfId,
    action: content.action,
    entityType: content.entityType,
    entityId: content.entityId,
    before: content.before,
    after: content.after,
    reason: content.reason,
    requestId: content.requestId,
  });
  return createHash("sha256")
    .update(prevHash)
    .update("\n")
    .update(canonical ?? "")
    .digest("hex");
}

/** JSON round-trip: what jsonb will give back (Dates become ISO strings, undefined disappears). */
export function toJsonDocument(value: unknown): unknown {
  return value === undefined ? null : JSON.parse(JSON.stringify(value));
}

export interface ChainRow extends AuditContent {
  id: number;
  prevHash: string;
  hash: string;
}

export type ChainBreak = { id: number; reason: "prev_hash_mismatch" | "hash_mismatch"; expected: string; actual: string };

/**
 * Checks rows in id order, continuing from `prevHash`. Returns the first broken link: an edited
 * row fails its own hash, a deleted or reordered row breaks the next row's prev_hash.
 */
export function findChainBreak(rows: Iterable<ChainRow>, prevHash: string): { brokenAt: ChainBreak | null; lastHash: string; checked: number } {
  let expectedPrev = prevHash;
  let checked = 0;
  for (const row of rows) {
    if (row.prevHash !== expectedPrev) {
      return { brokenAt: { id: row.id, reason: "prev_hash_mismatch", expected: expectedPrev, actual: row.prevHash }, lastHash: expectedPrev, checked };
    }
    const recomputed = auditHash(row.prevHash, row);
    if (recomputed !== row.hash) {
      return { brokenAt: { id: row.id, reason: "hash_mismatch", expected: recomputed, actual: row.hash }, lastHash: expectedPrev, checked };
    }
    expectedPrev = row.hash;
    checked += 1;
  }
  return { brokenAt: null, lastHash: expectedPrev, checked };
}
