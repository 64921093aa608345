import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { usageEvents } from "@/db/schema";
import { actorFor, makeApplication, makeEntitlement, makeGrant, makeNonHuman, makePerson, makeSession } from "@/lib/testing/factories";
import { testDb, testDeps } from "@/lib/testing/test-db";
import { listNhiConcern, nonHumanIdentityConcerns } from "./nhi";
import { listUnusedGrants, unusedStandingPrivilege } from "./unused";

const now = new Date("2026-11-23T10:00:00Z");
const deps = testDeps(() => now);
const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000);

describe("unused standing privilege", () => {
  async function setting() {
    const admin = await actorFor(testDb, (await makePerson(testDb, { roles: ["auditor"] })).id);
    const holder = await makePerson(testDb);
    const app = await makeApplication(testDb);
    const ents = await Promise.all([1, 2, 3, 4, 5, 6].map(() => makeEntitlement(testDb, { applicationId: app.id, privileged: true })));
    const old = new Date("2026-01-01T00:00:00Z");
    const grant = (i: number, input: Partial<Parameters<typeof makeGrant>[1]> = {}) => makeGrant(testDb, { identityId: holder.id, entitlementId: ents[i]!.id, grantedAt: old, ...input });
    const recent = await grant(0); // a session 13 days ago
    await makeSession(testDb, { grantId: recent.id, identityId: holder.id, startedAt: daysAgo(13), minutes: 30 });
    const month = await grant(1); // a successful usage event 34 days ago; a failed attempt since does not count
    await testDb.insert(usageEvents).values([
      { source: "test", sourceEventId: randomUUID(), kind: "sign_in", action: "login", occurredAt: daysAgo(34), grantId: month.id },
      { source: "test", sourceEventId: randomUUID(), kind: "sign_in", action: "login", occurredAt: daysAgo(3), grantId: month.id, failed: true },
    ]);
    const twoMonths = await grant(2); // a session 64 days ago
    await makeSession(testDb, { grantId: twoMonths.id, identityId: holder.id, startedAt: daysAgo(64), minutes: 30 });
    const never = await grant(3); // never used, granted in January
    const fresh = await grant(4, { grantedAt: daysAgo(22) }); // never used, but granted 22 days ago
    await grant(5, { endedAt: daysAgo(1), status: "revoked" }); // no longer in force
    return { admin, app, recent, month, twoMonths, never, fresh };
  }

  it("buckets standing privileged grants by days since last use, as of the end of the period", async () => {
    const { admin, app, never } = await setting();
    const { buckets } = await unusedStandingPrivilege(deps, admin, { applicationId: app.id });
    expect(buckets.map((b) => [b.bucket, b.grants.human, b.neverUsed])).toEqual([
      ["in_use", 2, 1],
      ["30", 1, 0],
      ["60", 1, 0],
      ["90", 1, 1],
    ]);
    const list = await listUnusedGrants(deps, admin, { applicationId: app.id }, { bucket: "90" });
    expect(list.total).toBe(1);
    expect(list.rows[0]).toMatchObject({ grantId: never.id, lastUsedAt: null, idleDays: 326 });
    // As of the end of 15 November (00:00 on the 16th): 34 days ago was then 26 days, 64 then 56, and the
    // grant revoked yesterday was still in force (never used: 90+).
    const earlier = await unusedStandingPrivilege(deps, admin, { applicationId: app.id, to: "2026-11-15" });
    expect(earlier.buckets.map((b) => [b.bucket, b.grants.human])).toEqual([
      ["in_use", 3],
      ["30", 1],
      ["60", 0],
      ["90", 2],
    ]);
    for (const b of earlier.buckets) {
      expect((await listUnusedGrants(deps, admin, { applicationId: app.id, to: "2026-11-15" }, { bucket: b.bucket })).total).toBe(b.grants.human);
    }
  });
});

describe("non-human identities", () => {
  it("counts those with no owner, with an owner who left, and with privileged standing access", async () => {
    const department = `Platform ${randomUUID().slice(0, 6)}`;
    const auditor = await actorFor(testDb, (await makePerson(testDb, { roles: ["auditor"] })).id);
    const owner = await makePerson(testDb);
    const leaver = await makePerson(testDb, { status: "leaver" });
    const app = await makeApplication(testDb);
    const admin = await makeEntitlement(testDb, { applicationId: app.id, privileged: true });
    const orphan = await makeNonHuman(testDb, { ownerId: null, department });
    const abandoned = await makeNonHuman(testDb, { ownerId: leaver.id, department });
    const powerful = await makeNonHuman(testDb, { ownerId: owner.id, department });
    await makeNonHuman(testDb, { ownerId: null, department, status: "leaver" }); // decommissioned: not counted
    await makeGrant(testDb, { identityId: powerful.id, entitlementId: admin.id, grantedAt: daysAgo(100) });
    await makeGrant(testDb, { identityId: orphan.id, entitlementId: admin.id, grantedAt: daysAgo(100), kind: "time_bound", expiresAt: daysAgo(-5) });
    const result = await nonHumanIdentityConcerns(deps, auditor, { department });
    expect(result.total).toBe(3);
    expect(result.concerns).toEqual([
      { concern: "no_owner", identities: 1 },
      { concern: "owner_leaver", identities: 1 },
      { concern: "privileged_standing", identities: 1 },
    ]);
    expect((await listNhiConcern(deps, auditor, { department }, "owner_leaver")).rows.map((r) => r.identityId)).toEqual([abandoned.id]);
    expect((await listNhiConcern(deps, auditor, { department }, "privileged_standing")).rows.map((r) => r.identityId)).toEqual([powerful.id]);
    // The owner sees the NHI they own, not the others.
    const mine = await nonHumanIdentityConcerns(deps, await actorFor(testDb, owner.id), { department });
    expect(mine.concerns.map((c) => c.identities)).toEqual([0, 0, 1]);
    // The application filter keeps NHIs holding live access there.
    const inApp = await nonHumanIdentityConcerns(deps, auditor, { department, applicationId: app.id });
    expect([inApp.total, ...inApp.concerns.map((c) => c.identities)]).toEqual([2, 1, 0, 1]);
  });
});
