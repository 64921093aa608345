import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { actorFor, makeGrant, makePerson, makeSession } from "@/lib/testing/factories";
import { testDb, testDeps } from "@/lib/testing/test-db";
import { accessShareOverTime, standingPrivilegeOverTime } from "./availability";
import { listAvailableGrants } from "./available-grants";
import { containmentByApplication } from "./containment";
import { readRollupState, refreshPrivilegeRollup } from "./rollup";
import { listUnusedGrants, unusedStandingPrivilege } from "./unused";
import { privilegeTimeline, t, TIMELINE_NOW } from "./testing";

let clock = TIMELINE_NOW;
const deps = testDeps(() => clock);
const period = { from: "2026-11-20", to: "2026-11-23" };

describe("daily rollup of privilege available and used", () => {
  it("gives exactly the live figures, for every filter, and lists agree with it", async () => {
    const { admin, app, g1 } = await privilegeTimeline(testDb);
    const auditor = () => actorFor(testDb, admin.id);
    const variants = [{ ...period }, { ...period, applicationId: app.id }, { ...period, identityType: "non_human" as const }, { ...period, department: "Engineering" }];
    const live = [];
    for (const filters of variants) {
      live.push({
        standing: (await standingPrivilegeOverTime(deps, await auditor(), filters)).days,
        share: (await accessShareOverTime(deps, await auditor(), filters)).days,
        containment: (await containmentByApplication(deps, await auditor(), filters)).top,
        unused: (await unusedStandingPrivilege(deps, await auditor(), { ...filters, from: undefined })).buckets,
      });
    }
    expect(await refreshPrivilegeRollup(deps)).toMatchObject({ skipped: false, fromDay: "2025-11-23" });
    expect(await readRollupState(testDb)).toEqual({ firstDay: "2025-11-23", computedThrough: TIMELINE_NOW });
    for (const [i, filters] of variants.entries()) {
      const standing = await standingPrivilegeOverTime(deps, await auditor(), filters);
      expect(standing.asOf).toEqual(TIMELINE_NOW);
      expect(standing.days).toEqual(live[i]!.standing);
      expect((await accessShareOverTime(deps, await auditor(), filters)).days).toEqual(live[i]!.share);
      expect((await containmentByApplication(deps, await auditor(), filters)).top).toEqual(live[i]!.containment);
      expect((await unusedStandingPrivilege(deps, await auditor(), { ...filters, from: undefined })).buckets).toEqual(live[i]!.unused);
      for (const b of live[i]!.unused) {
        const total = b.grants.human + b.grants.non_human + b.grants.third_party;
        expect((await listUnusedGrants(deps, await auditor(), { ...filters, from: undefined }, { bucket: b.bucket })).total).toBe(total);
      }
    }
    expect((await testDb.execute(sql`select count(*)::int as n from metric_grant_last_use`))[0]).toEqual({ n: 2 });
    // An hour later, before the next run, the charts stay as of the rollup, and so do their lists.
    clock = new Date(TIMELINE_NOW.getTime() + 3_600_000);
    await makeSession(testDb, {
      grantId: g1.id,
      identityId: (await testDb.execute<{ identity_id: string }>(sql`select identity_id from grants where id = ${g1.id}`))[0]!.identity_id,
      startedAt: t("23T10:05:00"),
      minutes: 30,
    });
    const stale = await containmentByApplication(deps, await auditor(), { ...period, applicationId: app.id });
    expect(stale.top[0]!.used).toBe(4);
    const list = await listAvailableGrants(deps, await auditor(), { ...period, applicationId: app.id }, { applicationId: app.id });
    expect([list.availableHours, list.usedHours]).toEqual([stale.top[0]!.available, stale.top[0]!.used]);
  });

  it("picks up back-dated access and late evidence on the next run, from the day they touch", async () => {
    clock = TIMELINE_NOW;
    const auditor = await actorFor(testDb, (await makePerson(testDb, { roles: ["auditor"] })).id);
    // Rows so far were written before the clock's "now" (the database stamps them with the wall clock).
    await testDb.execute(sql`update grants set created_at = ${"2026-11-23T09:00:00Z"}::timestamptz, updated_at = least(updated_at, ${"2026-11-23T09:00:00Z"}::timestamptz)`);
    await testDb.execute(sql`update activations set created_at = ${"2026-11-23T09:00:00Z"}::timestamptz`);
    await refreshPrivilegeRollup(deps);
    const before = await standingPrivilegeOverTime(deps, auditor, period);
    const holder = await makePerson(testDb, { department: "Finance" });
    const [ent] = await testDb.execute<{ id: string }>(sql`select id from entitlements where privileged limit 1`);
    // Imported now, granted on the 21st at 12:00: 12 h that day, then 24 h, and 11 h up to 11:00 on the 23rd.
    clock = new Date(TIMELINE_NOW.getTime() + 3_600_000);
    const late = await makeGrant(testDb, { identityId: holder.id, entitlementId: ent!.id, grantedAt: t("21T12:00:00") });
    expect(await refreshPrivilegeRollup(deps)).toMatchObject({ fromDay: "2026-11-21" });
    // Evidence arriving after a run is folded into last use by the next one.
    await testDb.execute(sql`update grants set created_at = ${"2026-11-23T10:30:00Z"}::timestamptz where id = ${late.id}`);
    await makeSession(testDb, { grantId: late.id, identityId: holder.id, startedAt: t("22T08:00:00"), minutes: 10 });
    clock = new Date(TIMELINE_NOW.getTime() + 3_600_000 + 60_000);
    expect(await refreshPrivilegeRollup(deps)).toMatchObject({ fromDay: "2026-11-22" });
    expect((await testDb.execute(sql`select last_used_at from metric_grant_last_use where grant_id = ${late.id}`))[0]).toEqual({ last_used_at: "2026-11-22 08:00:00+00" });
    clock = new Date(TIMELINE_NOW.getTime() + 3_600_000);
    const after = await standingPrivilegeOverTime(deps, await actorFor(testDb, auditor.id), period);
    expect(after.days.map((d) => d.grants.human - before.days.find((b) => b.day === d.day)!.grants.human)).toEqual([0, 1, 1, 1]);
    const finance = await standingPrivilegeOverTime(deps, await actorFor(testDb, auditor.id), { ...period, department: "Finance" });
    expect(finance.days.map((d) => d.hours.human)).toEqual([0, 12, 24, 11]);
    // Lists behind the rollup's figures use the same moment.
    for (const d of finance.days)
      expect((await listAvailableGrants(deps, await actorFor(testDb, auditor.id), { ...period, department: "Finance" }, { day: d.day, kind: "standing" })).total).toBe(d.grants.human);
    // A scoped viewer never reads the rollup: their figures are live.
    const manager = await makePerson(testDb);
    await testDb.execute(sql`update identities set manager_id = ${manager.id} where id = ${holder.id}`);
    const mine = await standingPrivilegeOverTime(deps, await actorFor(testDb, manager.id), period);
    expect(mine.asOf).toEqual(clock);
    expect(mine.days.map((d) => d.grants.human)).toEqual([0, 1, 1, 1]);
  });
});
