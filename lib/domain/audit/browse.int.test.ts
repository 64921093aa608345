import { describe, expect, it } from "vitest";
import { Forbidden } from "@/lib/errors";
import { actorFor, makePerson } from "@/lib/testing/factories";
import { testDb, testDeps } from "@/lib/testing/test-db";
import { auditFiltersSchema, browseAuditTrail } from "./browse";
import { recordAudit } from "./record-audit";

const now = new Date("2026-06-15T12:00:00Z");
const deps = testDeps(() => now);

async function event(action: string, actor: { id: string; label: string }, entityId: string, at: Date) {
  await testDb.transaction((tx) => recordAudit(tx, { actor: { kind: "human", ...actor }, action, entityType: "grant", entityId, at }));
}

describe("browsing the audit trail", () => {
  it("filters by actor, action (or its prefix), entity and day range, newest first, keyset-paged with a count", async () => {
    const auditor = await actorFor(testDb, (await makePerson(testDb, { roles: ["auditor"] })).id);
    const ada = { id: (await makePerson(testDb)).id, label: "ada@browse.test" };
    const bo = { id: (await makePerson(testDb)).id, label: "bo@browse.test" };
    for (let i = 0; i < 5; i++) await event("review.decided", ada, `g${i}`, new Date(now.getTime() - i * 86_400_000));
    await event("review.undone", ada, "g0", now);
    await event("grant.revoked", bo, "g0", now);
    await event("review.decided", bo, "old", new Date("2026-01-01T00:00:00Z"));

    const browse = (q: Record<string, string>) => browseAuditTrail(deps, auditor, auditFiltersSchema.parse(q));
    expect((await browse({ actor: "ada@browse" })).rows.map((r) => r.action)).toEqual(["review.undone", ...Array(5).fill("review.decided")]);
    expect((await browse({ actor: bo.id })).rows.map((r) => r.entityId)).toEqual(["g0"]);
    expect((await browse({ action: "review." })).total).toEqual({ count: 6, capped: false });
    expect((await browse({ action: "review.undone" })).rows).toHaveLength(1);
    expect((await browse({ entityType: "grant", entityId: "g0" })).rows.map((r) => r.action)).toEqual(["grant.revoked", "review.undone", "review.decided"]);
    expect((await browse({ action: "review.decided", from: "2026-06-13", to: "2026-06-14" })).rows.map((r) => r.entityId)).toEqual(["g2", "g1"]); // chain order: last written first
    expect((await browse({ action: "review.decided", from: "2026-01-01", to: "2026-01-01" })).rows.map((r) => r.entityId)).toEqual(["old"]);
    // Outside the default 30 days unless asked for.
    expect((await browse({ entityId: "old" })).rows).toHaveLength(0);
    expect((await browse({})).actions).toEqual(expect.arrayContaining(["grant.revoked", "review.decided", "review.undone"]));
    expect(auditFiltersSchema.parse({ from: "not a day", actor: "x".repeat(500) })).toMatchObject({ from: undefined, actor: undefined });

    const first = await browseAuditTrail(deps, auditor, auditFiltersSchema.parse({ actor: "ada@browse" }));
    expect(first.rows).toHaveLength(6);
    expect(first.nextCursor).toBeNull();

    const employee = await actorFor(testDb, (await makePerson(testDb)).id);
    await expect(browseAuditTrail(deps, employee, {})).rejects.toBeInstanceOf(Forbidden);
  });
});
