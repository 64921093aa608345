import { describe, expect, it } from "vitest";
import { actorFor, makeActivation, makeApplication, makeEntitlement, makeGrant, makeNonHuman, makePerson, makeSession } from "@/lib/testing/factories";
import { testDb, testDeps } from "@/lib/testing/test-db";
import { accessShareOverTime, containmentByApplication, listAvailableGrants, standingPrivilegeOverTime } from "./availability";

/**
 * A small constructed timeline, every expected value computed by hand. The clock stands at
 * 2026-11-23 10:00 UTC; the period is 20–23 November, so the 23rd counts up to 10:00 only.
 */
const now = new Date("2026-11-23T10:00:00Z");
const deps = testDeps(() => now);
const t = (iso: string) => new Date(`2026-11-${iso}Z`);

async function timeline() {
  const admin = await makePerson(testDb, { roles: ["admin"] });
  const human = await makePerson(testDb);
  const partner = await makePerson(testDb, { type: "third_party" });
  const robot = await makeNonHuman(testDb, { ownerId: human.id });
  const app = await makeApplication(testDb);
  const admin_ = await makeEntitlement(testDb, { applicationId: app.id, privileged: true });
  const other = await makeEntitlement(testDb, { applicationId: app.id, privileged: true });
  const ops = await makeEntitlement(testDb, { applicationId: app.id, privileged: true });
  const reader = await makeEntitlement(testDb, { applicationId: app.id, privileged: false });
  // G1: standing since before the period, never ended: 24 h a day, 10 h on the 23rd.
  const g1 = await makeGrant(testDb, { identityId: human.id, entitlementId: admin_.id, grantedAt: t("01T00:00:00") });
  // G2: a non-human's standing grant from the 21st 06:00 to the 22nd 18:00: 18 h + 18 h.
  const g2 = await makeGrant(testDb, { identityId: robot.id, entitlementId: admin_.id, grantedAt: t("21T06:00:00"), endedAt: t("22T18:00:00"), status: "revoked" });
  // G3: a third party's grant, revoked with no recorded end: ends when its row last changed, 20:00 on the 22nd: 8 h.
  const g3 = await makeGrant(testDb, { identityId: partner.id, entitlementId: admin_.id, grantedAt: t("22T12:00:00"), status: "revoked", updatedAt: t("22T20:00:00") });
  // G4: time-bound, expiring exactly at midnight: 12 h on the 20th, nothing on the 21st.
  const g4 = await makeGrant(testDb, { identityId: human.id, entitlementId: other.id, kind: "time_bound", grantedAt: t("20T12:00:00"), expiresAt: t("21T00:00:00") });
  // Not privileged: never counted. Ended exactly at the period's start: never counted.
  await makeGrant(testDb, { identityId: human.id, entitlementId: reader.id, grantedAt: t("01T00:00:00") });
  await makeGrant(testDb, { identityId: partner.id, entitlementId: other.id, grantedAt: t("19T00:00:00"), endedAt: t("20T00:00:00"), status: "revoked" });
  // G7: JIT. Two overlapping windows across midnight merge to 22:00–02:30 (2 h on the 21st, 2.5 h on
  // the 22nd); a pending one does not count; an open one counts until now (1 h on the 23rd).
  const g7 = await makeGrant(testDb, { identityId: human.id, entitlementId: ops.id, kind: "eligible", grantedAt: t("01T00:00:00") });
  await makeActivation(testDb, { grantId: g7.id, identityId: human.id, startsAt: t("21T22:00:00"), endsAt: t("22T02:00:00"), status: "expired" });
  await makeActivation(testDb, { grantId: g7.id, identityId: human.id, startsAt: t("22T01:00:00"), endsAt: t("22T03:00:00"), endedAt: t("22T02:30:00"), status: "ended" });
  const g8 = await makeGrant(testDb, { identityId: partner.id, entitlementId: ops.id, kind: "eligible", grantedAt: t("01T00:00:00") });
  await makeActivation(testDb, { grantId: g8.id, identityId: partner.id, startsAt: t("23T05:00:00"), endsAt: t("23T06:00:00"), status: "pending" });
  await makeActivation(testDb, { grantId: g7.id, identityId: human.id, startsAt: t("23T09:00:00"), endsAt: t("23T12:00:00"), status: "active" });
  // Sessions on G1: 23:00 for 2 h across midnight, and 23:30 for 30 min inside it (merged: 2 h);
  // one from the 19th 23:00 for 2 h, of which 1 h falls in the period. On G7: 1 h. Used: 4 h.
  await makeSession(testDb, { grantId: g1.id, identityId: human.id, startedAt: t("22T23:00:00"), minutes: 120 });
  await makeSession(testDb, { grantId: g1.id, identityId: human.id, startedAt: t("22T23:30:00"), minutes: 30 });
  await makeSession(testDb, { grantId: g1.id, identityId: human.id, startedAt: t("19T23:00:00"), minutes: 120 });
  await makeSession(testDb, { grantId: g7.id, identityId: human.id, startedAt: t("21T23:00:00"), minutes: 60 });
  return { admin: await actorFor(testDb, admin.id), app, g1, g2, g3, g4, g7 };
}

const period = { from: "2026-11-20", to: "2026-11-23" };

describe("privilege available", () => {
  it("counts standing privileged grants and their hours per UTC day, by identity type", async () => {
    const { admin, app } = await timeline();
    const result = await standingPrivilegeOverTime(deps, admin, { ...period, applicationId: app.id });
    expect(result.days).toEqual([
      { day: "2026-11-20", grants: { human: 1, non_human: 0, third_party: 0 }, hours: { human: 24, non_human: 0, third_party: 0 } },
      { day: "2026-11-21", grants: { human: 1, non_human: 1, third_party: 0 }, hours: { human: 24, non_human: 18, third_party: 0 } },
      { day: "2026-11-22", grants: { human: 1, non_human: 1, third_party: 1 }, hours: { human: 24, non_human: 18, third_party: 8 } },
      { day: "2026-11-23", grants: { human: 1, non_human: 0, third_party: 0 }, hours: { human: 10, non_human: 0, third_party: 0 } },
    ]);
  });

  it("splits the hours between standing, time-bound and JIT, merging overlapping activations", async () => {
    const { admin, app } = await timeline();
    const { days } = await accessShareOverTime(deps, admin, { ...period, applicationId: app.id });
    expect(days.map((d) => [d.day, d.hours])).toEqual([
      ["2026-11-20", { standing: 24, time_bound: 12, eligible: 0 }],
      ["2026-11-21", { standing: 42, time_bound: 0, eligible: 2 }],
      ["2026-11-22", { standing: 50, time_bound: 0, eligible: 2.5 }],
      ["2026-11-23", { standing: 10, time_bound: 0, eligible: 1 }],
    ]);
    expect(days[0]!.share).toEqual({ standing: 66.7, time_bound: 33.3, eligible: 0 });
    expect(days[2]!.share).toEqual({ standing: 95.2, time_bound: 0, eligible: 4.8 });
  });

  it("puts available against used per application, overlapping sessions counted once", async () => {
    const { admin, app } = await timeline();
    const { top } = await containmentByApplication(deps, admin, { ...period, applicationId: app.id });
    // Available: G1 82 + G2 36 + G3 8 + G4 12 + G7 5.5 = 143.5 h; used 3 h on G1 + 1 h on G7.
    expect(top).toEqual([{ applicationId: app.id, applicationName: app.name, grants: 5, available: 143.5, used: 4, gap: 139.5, utilisation: 2.8 }]);
  });

  it("lists exactly the grants behind a chart's point", async () => {
    const { admin, app, g1, g2, g3, g7 } = await timeline();
    const filters = { ...period, applicationId: app.id };
    const standing = await standingPrivilegeOverTime(deps, admin, filters);
    for (const d of standing.days) {
      const list = await listAvailableGrants(deps, admin, filters, { day: d.day, kind: "standing" });
      expect(list.total).toBe(d.grants.human + d.grants.non_human + d.grants.third_party);
      expect(list.availableHours).toBe(d.hours.human + d.hours.non_human + d.hours.third_party);
    }
    const on22 = await listAvailableGrants(deps, admin, filters, { day: "2026-11-22", kind: "standing" });
    expect(on22.rows.map((r) => r.grantId).sort()).toEqual([g1.id, g2.id, g3.id].sort());
    const robots = await listAvailableGrants(deps, admin, filters, { day: "2026-11-22", kind: "standing", category: "non_human" });
    expect(robots.rows.map((r) => r.grantId)).toEqual([g2.id]);
    const jit = await listAvailableGrants(deps, admin, filters, { day: "2026-11-22", kind: "eligible" });
    expect(jit.rows.map((r) => [r.grantId, r.availableHours])).toEqual([[g7.id, 2.5]]);
    const byApp = await listAvailableGrants(deps, admin, filters, { applicationId: app.id });
    expect([byApp.total, byApp.availableHours, byApp.usedHours]).toEqual([5, 143.5, 4]);
  });

  it("shows a manager only their organisation's numbers", async () => {
    const manager = await makePerson(testDb);
    const report = await makePerson(testDb, { managerId: manager.id });
    const stranger = await makePerson(testDb);
    const app = await makeApplication(testDb);
    const ent = await makeEntitlement(testDb, { applicationId: app.id, privileged: true });
    await makeGrant(testDb, { identityId: report.id, entitlementId: ent.id, grantedAt: t("01T00:00:00") });
    await makeGrant(testDb, { identityId: stranger.id, entitlementId: ent.id, grantedAt: t("01T00:00:00") });
    const filters = { ...period, applicationId: app.id };
    const mine = await standingPrivilegeOverTime(deps, await actorFor(testDb, manager.id), filters);
    expect(mine.days.map((d) => d.grants.human)).toEqual([1, 1, 1, 1]);
    const list = await listAvailableGrants(deps, await actorFor(testDb, manager.id), filters, { day: "2026-11-21", kind: "standing" });
    expect(list.rows.map((r) => r.identityId)).toEqual([report.id]);
    const all = await standingPrivilegeOverTime(deps, await actorFor(testDb, (await makePerson(testDb, { roles: ["auditor"] })).id), filters);
    expect(all.days.map((d) => d.grants.human)).toEqual([2, 2, 2, 2]);
  });
});
