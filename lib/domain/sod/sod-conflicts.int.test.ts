/**
 * A set rule from the admin's service to the findings and the campaign scope: two of three
 * entitlements is one conflict, one is a near miss, losing a grant resolves it, and so does
 * deleting the rule.
 */
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { grants } from "@/db/schema";
import { countInScope } from "@/db/queries/campaign-launch";
import { campaignScopeSchema } from "@/lib/domain/campaigns/campaign-scope";
import { recomputeFindings } from "@/lib/domain/findings/recompute";
import { DAY, findingFor, makeAccess, openFindingsAbout } from "@/lib/domain/findings/testing";
import type { Actor } from "@/lib/domain/access/actor";
import { actorFor, makeGrant, makePerson } from "@/lib/testing/factories";
import { testDb, testDeps } from "@/lib/testing/test-db";
import { createSodRule, deleteSodRule } from "./manage-rules";

const t0 = new Date("2026-12-01T10:00:00Z");
const at = (days: number) => new Date(t0.getTime() + days * DAY);
const recompute = (now: Date) =>
  recomputeFindings(
    testDeps(() => now),
    "system",
  );

let admin: Actor;
let members: { id: string; applicationId: string }[];

beforeAll(async () => {
  admin = await actorFor(testDb, (await makePerson(testDb, { roles: ["admin"] })).id);
  members = [];
  for (let i = 0; i < 3; i++) members.push((await makeAccess(testDb, { privileged: false, risk: "low" })).entitlement);
});

describe("SoD conflicts from a rule of three", () => {
  it("two of three is one finding, one of three is none; losing a grant resolves it", async () => {
    const [clerk, approver, controller] = members;
    const { ruleId } = await createSodRule(
      testDeps(() => t0),
      admin,
      { name: "Bills in three hands", severity: "critical", entitlementIds: members.map((m) => m.id) },
    );
    const holder = await makePerson(testDb);
    const first = await makeGrant(testDb, { identityId: holder.id, entitlementId: clerk!.id, grantedAt: at(-200) });
    const second = await makeGrant(testDb, { identityId: holder.id, entitlementId: controller!.id, grantedAt: at(-20) });
    const nearMiss = await makePerson(testDb);
    await makeGrant(testDb, { identityId: nearMiss.id, entitlementId: approver!.id, grantedAt: at(-50) });

    await recompute(t0);
    const open = await openFindingsAbout(testDb, "sod_conflict", holder.id);
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({
      dedupeKey: `sod_conflict:${ruleId}:${holder.id}`,
      severity: "critical",
      grantId: second.id,
      reason: expect.stringMatching(/holds 2 of the 3 entitlements of the rule "Bills in three hands", which allows at most one/),
      evidence: expect.objectContaining({ ruleId, rule: "Bills in three hands", ruleSize: 3, grantIds: [first.id, second.id] }),
    });
    expect(await openFindingsAbout(testDb, "sod_conflict", nearMiss.id)).toEqual([]);

    // A campaign over SoD conflicts reviews both of the holder's grants and not the near miss's.
    const scope = campaignScopeSchema.parse({ sodConflicts: true, applicationIds: members.map((m) => m.applicationId) });
    expect(await countInScope(testDb, scope, t0)).toBe(2);

    await testDb
      .update(grants)
      .set({ status: "revoked", endedAt: at(1) })
      .where(eq(grants.id, second.id));
    const later = await recompute(at(1));
    expect(later.resolved).toBeGreaterThanOrEqual(1);
    expect(await findingFor(testDb, `sod_conflict:${ruleId}:${holder.id}`)).toMatchObject({ id: open[0]!.id, status: "resolved", resolvedAt: at(1) });
    expect(await countInScope(testDb, scope, at(1))).toBe(0);
  });

  it("deleting the rule resolves its open findings at the next recompute", async () => {
    const [clerk, approver] = members;
    const { ruleId } = await createSodRule(
      testDeps(() => t0),
      admin,
      { name: "Short-lived rule", severity: "high", entitlementIds: [clerk!.id, approver!.id] },
    );
    const holder = await makePerson(testDb);
    await makeGrant(testDb, { identityId: holder.id, entitlementId: clerk!.id, grantedAt: at(-10) });
    await makeGrant(testDb, { identityId: holder.id, entitlementId: approver!.id, grantedAt: at(-5) });
    await recompute(at(2));
    const key = `sod_conflict:${ruleId}:${holder.id}`;
    expect(await findingFor(testDb, key)).toMatchObject({ status: "open", reason: expect.stringContaining("holds both entitlements") });

    await deleteSodRule(
      testDeps(() => at(3)),
      admin,
      { ruleId },
    );
    // Until the next run the finding stands as it was found; the run resolves it.
    expect(await findingFor(testDb, key)).toMatchObject({ status: "open" });
    await recompute(at(3));
    expect(await findingFor(testDb, key)).toMatchObject({ status: "resolved", resolvedAt: at(3) });
  });
});
