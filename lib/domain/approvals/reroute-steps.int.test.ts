import { and, asc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { listRequests } from "@/db/queries/request-views";
import { applicationOwners, approvalSteps, auditEvents, entitlementApprovers, notifications } from "@/db/schema";
import { setIdentityStatus } from "@/lib/domain/identities/set-status";
import { sweepAccessExpiry } from "@/lib/domain/jit/expire";
import { actorFor, makeApplication, makeEntitlement, makePerson } from "@/lib/testing/factories";
import { testDb, testDeps } from "@/lib/testing/test-db";
import { decideApprovalStep } from "./decide-step";
import { rerouteStuckSteps } from "./reroute-steps";
import { submitAccessRequest, submitRequestInput } from "./submit-request";
import { requestView } from "./views";

const clock = new Date("2026-11-23T10:00:00Z");
const deps = testDeps(() => clock);

/** Erin reports to Maya, who reports to Dan; Omar owns the application; an admin runs Accord. */
async function org(policy: Partial<Parameters<typeof makeEntitlement>[1]> = {}) {
  const dan = await makePerson(testDb, { displayName: "Dan Director" });
  const maya = await makePerson(testDb, { managerId: dan.id, displayName: "Maya Manager" });
  const erin = await makePerson(testDb, { managerId: maya.id });
  const omar = await makePerson(testDb);
  const admin = await makePerson(testDb, { roles: ["admin"] });
  const app = await makeApplication(testDb, { ownerIds: [omar.id] });
  const entitlement = await makeEntitlement(testDb, { applicationId: app.id, allowedKinds: ["eligible"], approvalChain: ["manager", "app_owner"], ...policy });
  return { dan, maya, erin, omar, admin, app, entitlement };
}

const ask = (input: Record<string, unknown>) => submitRequestInput.parse({ justification: "Investigate the failed nightly job", kind: "eligible", ...input });
const stepsOf = (requestId: string) => testDb.select().from(approvalSteps).where(eq(approvalSteps.requestId, requestId)).orderBy(asc(approvalSteps.position));
const needs = async (actorId: string) => (await listRequests(testDb, { mode: "needs", actorId })).rows.map((r) => r.id);
const leave = async (adminId: string, identityId: string, status: "leaver" | "suspended") =>
  setIdentityStatus(deps, await actorFor(testDb, adminId), { identityId, status, reason: "Off-boarded by HR" });

describe("approvers who left", () => {
  it("routes a manager step whose manager left to the next manager up the line, who can then decide it", async () => {
    const { dan, maya, erin, omar, admin, entitlement } = await org();
    const { requestId } = await submitAccessRequest(deps, await actorFor(testDb, erin.id), ask({ entitlementId: entitlement.id, beneficiaryId: erin.id }));
    let [first] = await stepsOf(requestId);
    expect(first).toMatchObject({ rule: "manager", approverId: maya.id, status: "pending", routedTo: null });
    expect(await needs(dan.id)).not.toContain(requestId);

    // Nothing is stuck while Maya is here; the sweep leaves the step alone.
    expect(await rerouteStuckSteps(deps)).toBe(0);
    await leave(admin.id, maya.id, "leaver");
    const swept = await sweepAccessExpiry(deps);
    expect(swept.rerouted).toBeGreaterThanOrEqual(1);

    [first] = await stepsOf(requestId);
    expect(first).toMatchObject({
      approverId: dan.id,
      status: "pending",
      routedTo: null,
      routedAt: clock,
      routedReason: "Maya Manager (the manager) has left: routed to Dan Director, the next manager up the line.",
    });
    const [trail] = await testDb
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.entityId, requestId), eq(auditEvents.action, "request.step_rerouted")));
    expect(trail).toMatchObject({ actorKind: "system", reason: first!.routedReason, before: { approverId: maya.id }, after: { approverId: dan.id } });
    const [notice] = await testDb
      .select()
      .from(notifications)
      .where(and(eq(notifications.recipientId, dan.id), eq(notifications.link, `/approvals?request=${requestId}`)));
    expect(notice!.body).toMatch(/has left/);
    expect(await needs(dan.id)).toContain(requestId);

    // The requester sees who it waits for now, and why.
    const seen = await requestView(deps, await actorFor(testDb, erin.id), requestId);
    expect(seen.steps[0]).toMatchObject({ routedReason: first!.routedReason, candidates: [{ id: dan.id, name: "Dan Director" }] });

    // A second sweep changes nothing.
    expect(await rerouteStuckSteps(deps)).toBe(0);
    expect(await decideApprovalStep(deps, await actorFor(testDb, dan.id), { stepId: first!.id, decision: "approve" })).toMatchObject({ outcome: "next_step" });
    expect(await needs(omar.id)).toContain(requestId);
  });

  it("routes a manager step to the application's owners when nobody above is active", async () => {
    const { dan, maya, erin, omar, admin, entitlement } = await org({ approvalChain: ["manager"] });
    const { requestId } = await submitAccessRequest(deps, await actorFor(testDb, erin.id), ask({ entitlementId: entitlement.id, beneficiaryId: erin.id }));
    await leave(admin.id, dan.id, "leaver");
    await leave(admin.id, maya.id, "suspended");
    await rerouteStuckSteps(deps);
    const [step] = await stepsOf(requestId);
    expect(step).toMatchObject({ approverId: null, routedTo: "app_owners", routedReason: "Maya Manager (the manager) is suspended: routed to the application's owners." });
    expect(await needs(omar.id)).toContain(requestId);
    expect((await decideApprovalStep(deps, await actorFor(testDb, omar.id), { stepId: step!.id, decision: "approve" })).outcome).toBe("fulfilled");
  });

  it("routes a named step whose named approvers all left to the app owners, and an owner step with no owner left to the admins", async () => {
    const { erin, omar, admin, entitlement } = await org({ approvalChain: ["named"] });
    const nina = await makePerson(testDb);
    await testDb.insert(entitlementApprovers).values({ entitlementId: entitlement.id, identityId: nina.id });
    const { requestId } = await submitAccessRequest(deps, await actorFor(testDb, erin.id), ask({ entitlementId: entitlement.id, beneficiaryId: erin.id }));
    await leave(admin.id, nina.id, "leaver");
    await rerouteStuckSteps(deps);
    let [step] = await stepsOf(requestId);
    expect(step).toMatchObject({ routedTo: "app_owners", routedReason: "None of the named approvers is active and allowed to decide it: routed to the application's owners." });

    // Omar leaves too: the step goes on to the admins, who see it in their queue.
    await leave(admin.id, omar.id, "leaver");
    await rerouteStuckSteps(deps);
    [step] = await stepsOf(requestId);
    expect(step).toMatchObject({ routedTo: "admins", routedReason: "No owner of the application is active and allowed to decide it: routed to the administrators." });
    expect(await needs(admin.id)).toContain(requestId);
    const trail = await testDb
      .select({ after: auditEvents.after })
      .from(auditEvents)
      .where(and(eq(auditEvents.entityId, requestId), eq(auditEvents.action, "request.step_rerouted")))
      .orderBy(asc(auditEvents.id));
    expect(trail.map((t) => (t.after as { routedTo: string }).routedTo)).toEqual(["app_owners", "admins"]);
    expect((await decideApprovalStep(deps, await actorFor(testDb, admin.id), { stepId: step!.id, decision: "approve" })).outcome).toBe("fulfilled");
  });

  it("routes a step on arrival when its people left while an earlier step waited, keeping two different approvers", async () => {
    // Privileged: Maya approves the manager step, so she may not decide the next one, though she co-owns the application.
    const { maya, erin, omar, admin, app, entitlement } = await org({ privileged: true, approvalChain: ["manager", "named"] });
    await testDb.insert(applicationOwners).values({ applicationId: app.id, identityId: maya.id });
    const nina = await makePerson(testDb);
    await testDb.insert(entitlementApprovers).values({ entitlementId: entitlement.id, identityId: nina.id });
    const { requestId } = await submitAccessRequest(deps, await actorFor(testDb, erin.id), ask({ entitlementId: entitlement.id, beneficiaryId: erin.id }));
    await leave(admin.id, nina.id, "leaver");
    const steps = await stepsOf(requestId);
    const mayaActor = await actorFor(testDb, maya.id);
    expect(await decideApprovalStep(deps, mayaActor, { stepId: steps[0]!.id, decision: "approve" })).toMatchObject({ outcome: "next_step" });

    const second = (await stepsOf(requestId))[1]!;
    expect(second).toMatchObject({ status: "pending", routedTo: "app_owners" });
    expect(second.routedReason).toMatch(/^None of the named approvers is active/);
    const [trail] = await testDb
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.entityId, requestId), eq(auditEvents.action, "request.step_rerouted")));
    expect(trail!.after).toMatchObject({ routedTo: "app_owners", candidates: [omar.id] });
    expect(await needs(maya.id)).not.toContain(requestId);
    await expect(decideApprovalStep(deps, mayaActor, { stepId: second.id, decision: "approve" })).rejects.toThrow(/two different approvers/);
    expect((await decideApprovalStep(deps, await actorFor(testDb, omar.id), { stepId: second.id, decision: "approve" })).outcome).toBe("fulfilled");
  });
});
