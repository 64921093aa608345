import { describe, expect, it } from "vitest";
import { auditHash, GENESIS_HASH, type AuditContent, type ChainRow } from "@/lib/domain/audit/hash";
import { ChainChecker, chainRowOf } from "./audit-rows";

const content = (i: number, extra: Partial<AuditContent> = {}): AuditContent => ({
  occurredAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i)),
  actorKind: "human",
  actorId: "5f0c6a2e-0000-4000-8000-000000000001",
  actorLabel: "ada@example.test",
  onBehalfOfId: null,
  action: `grant.changed.${i}`,
  entityType: "grant",
  entityId: String(i),
  before: { status: "active" },
  after: { status: "revoked", n: i },
  reason: null,
  requestId: null,
  ...extra,
});

function chain(length: number, from = GENESIS_HASH, firstId = 1): ChainRow[] {
  let prevHash = from;
  return Array.from({ length }, (_, i) => {
    const row = { ...content(i), id: firstId + i, prevHash, hash: auditHash(prevHash, content(i)) };
    prevHash = row.hash;
    return row;
  });
}

/** A row as audit/audit_events.json holds it: snake_case, ISO timestamps, bigint ids as text. */
const exported = (row: ChainRow) => ({
  id: String(row.id),
  occurred_at: row.occurredAt.toISOString(),
  actor_kind: row.actorKind,
  actor_id: row.actorId,
  actor_label: row.actorLabel,
  on_behalf_of_id: row.onBehalfOfId,
  action: row.action,
  entity_type: row.entityType,
  entity_id: row.entityId,
  before: row.before,
  after: row.after,
  reason: row.reason,
  request_id: row.requestId,
  prev_hash: row.prevHash,
  hash: row.hash,
});

describe("chainRowOf", () => {
  it("turns an exported row back into exactly what its hash covers", () => {
    const row = chain(1)[0]!;
    expect(chainRowOf(exported(row))).toEqual(row);
  });
  it("keeps nulls null, and reads absent documents as null", () => {
    const row = { ...content(1, { actorKind: "system", actorId: null, reason: "nightly sweep", requestId: "req-9", onBehalfOfId: "x" }), id: 1, prevHash: GENESIS_HASH, hash: "" };
    const { before: _before, after: _after, ...withoutDocuments } = exported(row);
    expect(chainRowOf({ ...withoutDocuments, actor_id: null })).toMatchObject({ actorId: null, reason: "nightly sweep", requestId: "req-9", onBehalfOfId: "x", before: null, after: null });
    expect(chainRowOf({ ...exported(row), reason: undefined })).toMatchObject({ reason: null });
  });
});

describe("ChainChecker", () => {
  it("accepts an untouched segment and says where it starts and ends", () => {
    const rows = chain(5);
    const checker = new ChainChecker(GENESIS_HASH);
    expect(rows.map((r) => checker.push(chainRowOf(exported(r))))).toEqual([true, true, true, true, true]);
    expect(checker).toMatchObject({ checked: 5, brokenAt: null, first: { id: 1, prevHash: GENESIS_HASH }, last: { id: 5, hash: rows[4]!.hash } });
  });

  it("takes a segment's first link on trust when it is not told the hash before it", () => {
    const rows = chain(3, "ab".repeat(32), 10);
    const checker = new ChainChecker();
    for (const row of rows) expect(checker.push(row)).toBe(true);
    expect(checker.first).toEqual({ id: 10, prevHash: "ab".repeat(32) });
    expect(new ChainChecker(GENESIS_HASH).push(rows[0]!)).toBe(false);
  });

  it("keeps the first break, an edited row at that row, and checks nothing after it", () => {
    const rows = chain(5);
    rows[2] = { ...rows[2]!, action: "grant.approved" };
    const checker = new ChainChecker(GENESIS_HASH);
    expect(rows.map((r) => checker.push(r))).toEqual([true, true, false, false, false]);
    expect(checker.brokenAt).toEqual({ id: 3, reason: "hash_mismatch", expected: auditHash(rows[2]!.prevHash, rows[2]!), actual: rows[2]!.hash });
    expect(checker).toMatchObject({ checked: 2, last: { id: 2 } });
  });

  it("reports a deleted row at the row after it", () => {
    const rows = chain(5);
    rows.splice(1, 1);
    const checker = new ChainChecker(GENESIS_HASH);
    for (const row of rows) checker.push(row);
    expect(checker.brokenAt).toEqual({ id: 3, reason: "prev_hash_mismatch", expected: rows[0]!.hash, actual: rows[1]!.prevHash });
    expect(checker.checked).toBe(1);
  });
});
