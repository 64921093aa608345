import { describe, expect, it } from "vitest";
import { applicationOwners } from "@/db/schema";
import { actorFor, makeApplication, makeEntitlement, makeGrant, makePerson, makeSession } from "@/lib/testing/factories";
import { testDb, testDeps } from "@/lib/testing/test-db";
import { accessShareOverTime, standingPrivilegeOverTime } from "./availability";
import { listAvailableGrants } from "./available-grants";
import { containmentByApplication } from "./containment";
import type { MetricFilters } from "./filters";
import { refreshPrivilegeRollup } from "./rollup";
import { privilegeTimeline, t, TIMELINE_NOW } from "./testing";
import { listUnusedGrants, unusedStandingPrivilege } from "./unused";

let clock = TIMELINE_NOW;
const deps = testDeps(() => clock);
const period = { from: "2026-11-20", to: "2026-11-23" };

async function figures(actorId: string, filters: MetricFilters) {
  return {
    standing: await standingPrivilegeOverTime(deps, await actorFor(testDb, actorId), filters),
    share: (await accessShareOverTime(deps, await actorFor(testDb, actorId), filters)).days,
    containment: (await containmentByApplication(deps, await actorFor(testDb, actorId), filters)).top,
    unused: (await unusedStandingPrivilege(deps, await actorFor(testDb, actorId), { ...filters, from: undefined, to: undefined })).buckets,
  };
}

describe("views that read the rollup", () => {
  it("an app owner's view: the rollup for what they own, their people's other access live, exactly the live figures", async () => {
    const { app, g1 } = await privilegeTimeline(testDb);
    const owner = await makePerson(testDb);
    await testDb.insert(applicationOwners).values({ applicationId: app.id, identityId: owner.id });
    // The owner's report holds privileged access elsewhere (counted live) and to the owned application (counted once, in the rollup).
    const report = await makePerson(testDb, { managerId: owner.id, department: "Finance" });
    const elsewhere = await makeApplication(testDb);
    const otherRole = await makeEntitlement(testDb, { applicationId: elsewhere.id, privileged: true });
    const ownedRole = await makeEntitlement(testDb, { applicationId: app.id, privileged: true });
    const away = await makeGrant(testDb, { identityId: report.id, entitlementId: otherRole.id, grantedAt: t("21T06:00:00") });
    await makeGrant(testDb, { identityId: report.id, entitlementId: ownedRole.id, grantedAt: t("22T00:00:00") });
    await makeSession(testDb, { grantId: away.id, identityId: report.id, startedAt: t("22T09:00:00"), minutes: 90 });
    // Someone else's access elsewhere: not in the owner's scope at all.
    const stranger = await makePerson(testDb);
    await makeGrant(testDb, { identityId: stranger.id, entitlementId: otherRole.id, grantedAt: t("20T00:00:00") });

    const variants: MetricFilters[] = [{ ...period }, { ...period, applicationId: elsewhere.id }, { ...period, department: "Finance" }, { ...period, identityType: "human" }];
    const live = [];
    for (const filters of variants) live.push(await figures(owner.id, filters));
    expect(live[0]!.containment.map((c) => [c.applicationId, c.available, c.used])).toEqual([
      [app.id, 177.5, 4],
      [elsewhere.id, 52, 1.5],
    ]);

    await refreshPrivilegeRollup(deps);
    for (const [i, filters] of variants.entries()) {
      const rolled = await figures(owner.id, filters);
      expect(rolled).toEqual(live[i]);
      for (const c of rolled.containment) {
        const list = await listAvailableGrants(deps, await actorFor(testDb, owner.id), filters, { applicationId: c.applicationId });
        expect([list.availableHours, list.usedHours]).toEqual([c.available, c.used]);
      }
      for (const b of rolled.unused) {
        const total = b.grants.human + b.grants.non_human + b.grants.third_party;
        expect((await listUnusedGrants(deps, await actorFor(testDb, owner.id), { ...filters, from: undefined, to: undefined }, { bucket: b.bucket })).total).toBe(total);
      }
    }

    // An hour later, before the next run: both parts stay as of the rollup's moment, and so do the lists.
    clock = new Date(TIMELINE_NOW.getTime() + 3_600_000);
    await makeSession(testDb, { grantId: away.id, identityId: report.id, startedAt: t("23T10:05:00"), minutes: 30 });
    await makeSession(testDb, { grantId: g1.id, identityId: g1.identityId, startedAt: t("23T10:10:00"), minutes: 30 });
    const stale = await figures(owner.id, { ...period });
    expect(stale.standing.asOf).toEqual(TIMELINE_NOW);
    expect(stale.containment).toEqual(live[0]!.containment);
    const list = await listAvailableGrants(deps, await actorFor(testDb, owner.id), { ...period }, { applicationId: elsewhere.id });
    expect(list.usedHours).toBe(1.5);
  });

  it("available vs used by application from the running totals, after incremental runs, equals the list behind it", async () => {
    clock = new Date(TIMELINE_NOW.getTime() + 2 * 3_600_000);
    await refreshPrivilegeRollup(deps);
    const auditor = await makePerson(testDb, { roles: ["auditor"] });
    for (const filters of [{ ...period }, { from: "2026-11-22", to: "2026-11-23" }, { period: "30" as const }]) {
      const { top, asOf } = await containmentByApplication(deps, await actorFor(testDb, auditor.id), filters);
      expect(asOf).toEqual(clock);
      expect(top.length).toBeGreaterThan(0);
      for (const c of top) {
        const list = await listAvailableGrants(deps, await actorFor(testDb, auditor.id), filters, { applicationId: c.applicationId });
        expect([list.availableHours, list.usedHours]).toEqual([c.available, c.used]);
        expect((await containmentByApplication(deps, await actorFor(testDb, auditor.id), { ...filters, applicationId: c.applicationId })).top).toEqual([c]);
      }
    }
  });
});
