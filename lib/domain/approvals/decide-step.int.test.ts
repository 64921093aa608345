import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { accessRequests, auditEvents, grants } from "@/db/schema";
import { actorFor, makeApplication, makeEntitlement, makePerson, makeRequest } from "@/lib/testing/factories";
import { testDb, testDeps } from "@/lib/testing/test-db";
import { Forbidden } from "@/lib/errors";
import { decideApprovalStep } from "./decide-step";

const now = new Date("2026-11-23T10:00:00Z");
const deps = testDeps(() => now);

async function setting(privileged: boolean) {
  const manager = await makePerson(testDb);
  const requester = await makePerson(testDb, { managerId: manager.id });
  const owner = await makePerson(testDb);
  const app = await makeApplication(testDb, { ownerIds: [owner.id] });
  const entitlement = await makeEntitlement(testDb, { applicationId: app.id, privileged });
  return { manager, requester, owner, entitlement };
}

describe("decideApprovalStep", () => {
  it("refuses self-approval and leaves the request untouched", async () => {
    const { requester, entitlement } = await setting(false);
    const { request, steps } = await makeRequest(testDb, { requesterId: requester.id, entitlementId: entitlement.id, approverIds: [requester.id] });
    await expect(decideApprovalStep(deps, await actorFor(testDb, requester.id), { stepId: steps[0]!.id, decision: "approve" })).rejects.toThrow(new Forbidden("Nobody may approve their own request."));
    const [after] = await testDb.select({ status: accessRequests.status }).from(accessRequests).where(eq(accessRequests.id, request.id));
    expect(after!.status).toBe("pending");
    expect(await testDb.select().from(auditEvents).where(eq(auditEvents.entityId, request.id))).toEqual([]);
  });

  it("refuses the same person approving both steps of a privileged request", async () => {
    const { manager, requester, entitlement } = await setting(true);
    const { steps } = await makeRequest(testDb, { requesterId: requester.id, entitlementId: entitlement.id, approverIds: [manager.id, manager.id] });
    const actor = await actorFor(testDb, manager.id);
    await decideApprovalStep(deps, actor, { stepId: steps[0]!.id, decision: "approve" });
    await expect(decideApprovalStep(deps, actor, { stepId: steps[1]!.id, decision: "approve" })).rejects.toBeInstanceOf(Forbidden);
  });

  it("walks the chain and fulfils the request with the shortest approved duration", async () => {
    const { manager, requester, owner, entitlement } = await setting(true);
    const { request, steps } = await makeRequest(testDb, { requesterId: requester.id, entitlementId: entitlement.id, approverIds: [manager.id, owner.id], durationMinutes: 480 });
    expect(await decideApprovalStep(deps, await actorFor(testDb, manager.id), { stepId: steps[0]!.id, decision: "approve", durationMinutes: 120 })).toMatchObject({
      outcome: "next_step",
      grantId: null,
    });
    const result = await decideApprovalStep(deps, await actorFor(testDb, owner.id), { stepId: steps[1]!.id, decision: "approve" });
    expect(result.outcome).toBe("fulfilled");
    const [grant] = await testDb
      .select()
      .from(grants)
      .where(and(eq(grants.requestId, request.id)));
    expect(grant).toMatchObject({ identityId: requester.id, approvedById: owner.id, kind: "time_bound", source: "request" });
    expect(grant!.expiresAt!.getTime() - grant!.grantedAt.getTime()).toBe(120 * 60_000);
    const trail = await testDb.select({ action: auditEvents.action }).from(auditEvents).where(eq(auditEvents.entityId, request.id)).orderBy(auditEvents.id);
    expect(trail.map((t) => t.action)).toEqual(["request.step_approved", "request.step_approved"]);
  });

  it("requires a reason to deny", async () => {
    const { decideStepInput } = await import("./decide-step");
    const parsed = decideStepInput.safeParse({ stepId: crypto.randomUUID(), decision: "deny" });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(["comment"]);
  });
});
