import { auditHash, type ChainBreak, type ChainRow } from "@/lib/domain/audit/hash";

/**
 * An audit event as the export writes it (audit/audit_events.json: snake_case, timestamps as
 * ISO 8601, before/after as JSON), turned back into what its hash covers. Pure: the offline
 * verifier recomputes the chain with exactly this and auditHash.
 */
export function chainRowOf(o: Record<string, unknown>): ChainRow {
  const text = (key: string) => (o[key] === null || o[key] === undefined ? null : String(o[key]));
  return {
    id: Number(o.id),
    occurredAt: new Date(String(o.occurred_at)),
    actorKind: String(o.actor_kind) as ChainRow["actorKind"],
    actorId: text("actor_id"),
    actorLabel: String(o.actor_label),
    onBehalfOfId: text("on_behalf_of_id"),
    action: String(o.action),
    entityType: String(o.entity_type),
    entityId: String(o.entity_id),
    before: o.before ?? null,
    after: o.after ?? null,
    reason: text("reason"),
    requestId: text("request_id"),
    prevHash: String(o.prev_hash),
    hash: String(o.hash),
  };
}

/** Checks a segment of the chain row by row with flat memory: each row's link and its own hash. */
export class ChainChecker {
  first: { id: number; prevHash: string } | null = null;
  last: { id: number; hash: string } | null = null;
  checked = 0;
  brokenAt: ChainBreak | null = null;
  #expectedPrev: string | null;

  /** `prevHash`: the hash the first row must link to, when known. */
  constructor(prevHash: string | null = null) {
    this.#expectedPrev = prevHash;
  }

  /** Returns false once the chain is broken (the first break is kept). */
  push(row: ChainRow): boolean {
    if (this.brokenAt) return false;
    this.first ??= { id: row.id, prevHash: row.prevHash };
    if (this.#expectedPrev !== null && row.prevHash !== this.#expectedPrev) {
      this.brokenAt = { id: row.id, reason: "prev_hash_mismatch", expected: this.#expectedPrev, actual: row.prevHash };
      return false;
    }
    const recomputed = auditHash(row.prevHash, row);
    if (recomputed !== row.hash) {
      this.brokenAt = { id: row.id, reason: "hash_mismatch", expected: recomputed, actual: row.hash };
      return false;
    }
    this.#expectedPrev = row.hash;
    this.last = { id: row.id, hash: row.hash };
    this.checked += 1;
    return true;
  }
}
