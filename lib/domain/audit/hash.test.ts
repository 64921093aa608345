import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { auditHash, findChainBreak, GENESIS_HASH, toJsonDocument, type AuditContent, type ChainRow } from "./hash";

function buildChain(contents: AuditContent[]): ChainRow[] {
  let prevHash = GENESIS_HASH;
  return contents.map((content, index) => {
    const hash = auditHash(prevHash, content);
    const row = { ...content, id: index + 1, prevHash, hash };
    prevHash = hash;
    return row;
  });
}

const content = (i: number, extra: Partial<AuditContent> = {}): AuditContent => ({
  occurredAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i)),
  actorKind: "human",
  actorId: "5f0c6a2e-0000-4000-8000-000000000001",
  actorLabel: "ada@example.test",
  onBehalfOfId: null,
  action: `thing.changed.${i}`,
  entityType: "grant",
  entityId: String(i),
  before: { status: "active", n: i },
  after: { status: "revoked", nested: { a: 1, b: [1, 2] } },
  reason: null,
  requestId: null,
  ...extra,
});

describe("audit hash chain", () => {
  it("is SHA-256 of the previous hash, a newline and the RFC 8785 JSON, from 64 zeros: what an offline verifier recomputes", () => {
    // Written out by hand (keys sorted, no spaces) so the test does not share code with auditHash:
    // exported bundles and kept checkpoints depend on this exact form.
    const canonical =
      '{"action":"grant.revoked","actorId":"a1","actorKind":"human","actorLabel":"ada@example.test","after":{"by":"ada","status":"revoked"},' +
      '"before":{"status":"active"},"entityId":"42","entityType":"grant","occurredAt":"2026-01-01T00:00:00.000Z","onBehalfOfId":null,"reason":null,"requestId":"req-1"}';
    const zeros = "0".repeat(64);
    const expected = createHash("sha256").update(`${zeros}\n${canonical}`).digest("hex");
    const row: AuditContent = {
      occurredAt: new Date("2026-01-01T00:00:00Z"),
      actorKind: "human",
      actorId: "a1",
      actorLabel: "ada@example.test",
      onBehalfOfId: null,
      action: "grant.revoked",
      entityType: "grant",
      entityId: "42",
      before: { status: "active" },
      after: { status: "revoked", by: "ada" },
      reason: null,
      requestId: "req-1",
    };
    expect(GENESIS_HASH).toBe(zeros);
    expect(auditHash(GENESIS_HASH, row)).toBe(expected);
  });

  it("does not depend on key order in the before/after documents", () => {
    const a = auditHash(GENESIS_HASH, content(1, { after: { a: 1, b: 2 } }));
    const b = auditHash(GENESIS_HASH, content(1, { after: { b: 2, a: 1 } }));
    expect(a).toBe(b);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
  });

  it("accepts an untouched chain", () => {
    const chain = buildChain(Array.from({ length: 20 }, (_, i) => content(i)));
    expect(findChainBreak(chain, GENESIS_HASH)).toEqual({ brokenAt: null, lastHash: chain[19]!.hash, checked: 20 });
  });

  it("reports an edited row at that row", () => {
    const chain = buildChain(Array.from({ length: 10 }, (_, i) => content(i)));
    chain[4] = { ...chain[4]!, after: { status: "active" } };
    expect(findChainBreak(chain, GENESIS_HASH).brokenAt).toMatchObject({ id: 5, reason: "hash_mismatch" });
  });

  it("reports a deleted row at the row after it", () => {
    const chain = buildChain(Array.from({ length: 10 }, (_, i) => content(i)));
    chain.splice(3, 1);
    expect(findChainBreak(chain, GENESIS_HASH).brokenAt).toMatchObject({ id: 5, reason: "prev_hash_mismatch" });
  });

  it("detects every random flip, deletion, reorder and splice", () => {
    const tamper = fc.oneof(
      fc.record({ kind: fc.constant("flip" as const), at: fc.nat(), field: fc.constantFrom("action", "entityId", "actorLabel", "reason") }),
      fc.record({ kind: fc.constant("delete" as const), at: fc.nat() }),
      fc.record({ kind: fc.constant("swap" as const), at: fc.nat() }),
      fc.record({ kind: fc.constant("splice" as const), at: fc.nat() }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 3, max: 30 }), tamper, (length, change) => {
        const chain = buildChain(Array.from({ length }, (_, i) => content(i)));
        // Changes at the very end (deleting or truncating the last row) need an external
        // checkpoint to detect; the chain alone covers everything before the tail.
        const at = change.at % (length - 1);
        if (change.kind === "flip") chain[at] = { ...chain[at]!, [change.field]: "tampered" };
        if (change.kind === "delete") chain.splice(at, 1);
        if (change.kind === "swap") [chain[at], chain[at + 1]] = [chain[at + 1]!, chain[at]!];
        if (change.kind === "splice") {
          const forged = buildChain([content(999)])[0]!;
          chain.splice(at + 1, 0, { ...forged, prevHash: chain[at]!.hash, hash: auditHash(chain[at]!.hash, forged) });
        }
        return findChainBreak(chain, GENESIS_HASH).brokenAt !== null;
      }),
      { numRuns: 500 },
    );
  });
});

describe("toJsonDocument", () => {
  it("gives back what jsonb stores, so a row hashes the same before and after the round trip", () => {
    expect(toJsonDocument(undefined)).toBeNull();
    expect(toJsonDocument({ at: new Date("2026-01-01T00:00:00Z"), gone: undefined, kept: [1, null] })).toEqual({ at: "2026-01-01T00:00:00.000Z", kept: [1, null] });
    const row = content(7, { after: { at: new Date("2026-01-01T00:00:00Z"), gone: undefined } });
    expect(auditHash(GENESIS_HASH, { ...row, after: toJsonDocument(row.after) })).toBe(auditHash(GENESIS_HASH, { ...row, after: { at: "2026-01-01T00:00:00.000Z" } }));
  });
});
