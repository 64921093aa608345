import { describe, expect, it } from "vitest";
import { actorFor, makeApplication, makeEntitlement, makeGrant, makePerson } from "@/lib/testing/factories";
import { testDb, testDeps } from "@/lib/testing/test-db";
import { privilegeTimeline, t, TIMELINE_NOW } from "./testing";
import { accessShareOverTime, standingPrivilegeOverTime } from "./availability";
import { listAvailableGrants } from "./available-grants";
import { containmentByApplication } from "./containment";

const now = TIMELINE_NOW;
const deps = testDeps(() => now);
const timeline = () => privilegeTimeline(testDb);

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
    expect(top).toEqual([{ applicationId: app.id, applicationName: app.name, available: 143.5, used: 4, gap: 139.5, utilisation: 2.8 }]);
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
