import { and, asc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { accessRequests, applicationOwners, approvalSteps, auditEvents, grants, identities, notifications } from "@/db/schema";
import { Conflict, Forbidden, Invalid, NotFound } from "@/lib/errors";
import { actorFor, makeApplication, makeEntitlement, makeNonHuman, makePerson } from "@/lib/testing/factories";
import { testDb, testDeps } from "@/lib/testing/test-db";
import { cancelAccessRequest } from "./cancel-request";
import { decideApprovalStep } from "./decide-step";
import { expireDueRequests } from "./expire-requests";
import { submitAccessRequest, submitRequestInput } from "./submit-request";

const HOUR = 3_600_000;
let clock = new Date("2026-11-23T10:00:00Z");
const deps = testDeps(() => clock);

/** Erin reports to Maya; Omar owns the application; the entitlement is privileged JIT admin (max 4 h). */
async function org(policy: Partial<Parameters<typeof makeEntitlement>[1]> = {}) {
  const director = await makePerson(testDb);
  const maya = await makePerson(testDb, { managerId: director.id });
  const erin = await makePerson(testDb, { managerId: maya.id });
  const omar = await makePerson(testDb);
  const app = await makeApplication(testDb, { ownerIds: [omar.id] });
  const admin = await makeEntitlement(testDb, {
    applicationId: app.id,
    name: "AdministratorAccess",
    privileged: true,
    ownerId: omar.id,
    allowedKinds: ["eligible", "time_bound"],
    maxDurationMinutes: 240,
    requiresTicket: true,
    ...policy,
  });
  return { director, maya, erin, omar, app, admin };
}

const ask = (input: Record<string, unknown>) => submitRequestInput.parse({ justification: "Rotate the production KMS keys after the incident", ticket: "ENG-5120", kind: "eligible", ...input });

async function stepsOf(requestId: string) {
  return testDb.select().from(approvalSteps).where(eq(approvalSteps.requestId, requestId)).orderBy(asc(approvalSteps.position));
}

describe("access requests", () => {
  it("resolves the chain to the manager and the app owner, and passes the entitlement-owner step Omar already approved", async () => {
    const { maya, erin, omar, admin } = await org();
    const { requestId } = await submitAccessRequest(deps, await actorFor(testDb, erin.id), ask({ entitlementId: admin.id, beneficiaryId: erin.id }));
    let steps = await stepsOf(requestId);
    expect(steps.map((s) => [s.rule, s.status, s.approverId])).toEqual([
      ["manager", "pending", maya.id],
      ["app_owner", "waiting", null],
      ["entitlement_owner", "waiting", null],
    ]);
    const [notice] = await testDb.select().from(notifications).where(eq(notifications.recipientId, maya.id));
    expect(notice).toMatchObject({ kind: "request.approval_needed", link: `/approvals?request=${requestId}` });

    // Omar cannot jump the queue: the app-owner step is not pending yet.
    await expect(decideApprovalStep(deps, await actorFor(testDb, omar.id), { stepId: steps[1]!.id, decision: "approve" })).rejects.toBeInstanceOf(Forbidden);
    expect(await decideApprovalStep(deps, await actorFor(testDb, maya.id), { stepId: steps[0]!.id, decision: "approve", comment: "ok" })).toMatchObject({ outcome: "next_step" });
    const result = await decideApprovalStep(deps, await actorFor(testDb, omar.id), { stepId: steps[1]!.id, decision: "approve" });
    expect(result.outcome).toBe("fulfilled");
    steps = await stepsOf(requestId);
    expect(steps.map((s) => s.status)).toEqual(["approved", "approved", "skipped"]);

    const [grant] = await testDb.select().from(grants).where(eq(grants.id, result.grantId!));
    expect(grant).toMatchObject({ identityId: erin.id, kind: "eligible", status: "active", source: "request", requestId, approvedById: omar.id, expiresAt: null, ticket: "ENG-5120" });
    const [request] = await testDb.select().from(accessRequests).where(eq(accessRequests.id, requestId));
    expect(request!.status).toBe("fulfilled");
    const told = await testDb
      .select()
      .from(notifications)
      .where(and(eq(notifications.recipientId, erin.id), eq(notifications.kind, "request.fulfilled")));
    expect(told).toHaveLength(1);
  });

  it("refuses what the policy does not allow, naming the field", async () => {
    const { erin, admin } = await org();
    const actor = await actorFor(testDb, erin.id);
    const attempt = (input: Record<string, unknown>) => submitAccessRequest(deps, actor, ask({ entitlementId: admin.id, beneficiaryId: erin.id, ...input }));
    await expect(attempt({ kind: "standing" })).rejects.toMatchObject({ code: "INVALID", fieldErrors: { kind: [expect.stringMatching(/only time-bound or just-in-time/)] } });
    await expect(attempt({ kind: "time_bound", durationAmount: "5", durationUnit: "hours" })).rejects.toMatchObject({ fieldErrors: { duration: ["The policy allows at most 4 hours."] } });
    await expect(attempt({ kind: "time_bound" })).rejects.toMatchObject({ fieldErrors: { duration: [expect.stringMatching(/how long/)] } });
    await expect(attempt({ ticket: "" })).rejects.toMatchObject({ fieldErrors: { ticket: [expect.stringMatching(/requires a ticket/)] } });
    expect(
      submitRequestInput.safeParse({ entitlementId: admin.id, beneficiaryId: erin.id, kind: "eligible", justification: "short", ticket: "not a ticket" }).error?.issues.map((i) => i.path[0]),
    ).toEqual(["justification", "ticket"]);
    expect(await testDb.select().from(accessRequests).where(eq(accessRequests.beneficiaryId, erin.id))).toEqual([]);
  });

  it("lets a manager ask for a report (the manager step climbs past the requester) and an owner for their NHI, nobody else", async () => {
    const { director, maya, erin, omar, admin } = await org();
    const { requestId } = await submitAccessRequest(deps, await actorFor(testDb, maya.id), ask({ entitlementId: admin.id, beneficiaryId: erin.id }));
    expect((await stepsOf(requestId))[0]).toMatchObject({ rule: "manager", approverId: director.id, status: "pending" });

    const bot = await makeNonHuman(testDb, { ownerId: erin.id });
    const { requestId: botRequest } = await submitAccessRequest(deps, await actorFor(testDb, erin.id), ask({ entitlementId: admin.id, beneficiaryId: bot.id }));
    // The NHI's owner is the requester, so its manager step goes to the owner's manager.
    expect((await stepsOf(botRequest))[0]).toMatchObject({ rule: "manager", approverId: maya.id });

    await expect(submitAccessRequest(deps, await actorFor(testDb, omar.id), ask({ entitlementId: admin.id, beneficiaryId: erin.id }))).rejects.toBeInstanceOf(Forbidden);
    const auditor = await makePerson(testDb, { roles: ["auditor"] });
    await expect(submitAccessRequest(deps, await actorFor(testDb, auditor.id), ask({ entitlementId: admin.id, beneficiaryId: auditor.id }))).rejects.toBeInstanceOf(Forbidden);
    await expect(submitAccessRequest(deps, await actorFor(testDb, erin.id), ask({ entitlementId: crypto.randomUUID(), beneficiaryId: erin.id }))).rejects.toBeInstanceOf(NotFound);
  });

  it("refuses a second pending request for the same access, and access already held", async () => {
    const { erin, admin } = await org();
    const actor = await actorFor(testDb, erin.id);
    await submitAccessRequest(deps, actor, ask({ entitlementId: admin.id, beneficiaryId: erin.id }));
    await expect(submitAccessRequest(deps, actor, ask({ entitlementId: admin.id, beneficiaryId: erin.id }))).rejects.toBeInstanceOf(Conflict);
    // Two at once: the database's unique index decides, and the loser gets a Conflict, not a 500.
    const other = await org();
    const racer = await actorFor(testDb, other.erin.id);
    const both = await Promise.allSettled([0, 1].map(() => submitAccessRequest(deps, racer, ask({ entitlementId: other.admin.id, beneficiaryId: other.erin.id }))));
    expect(both.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    expect((both.find((r) => r.status === "rejected") as PromiseRejectedResult).reason).toBeInstanceOf(Conflict);
  });

  it("refuses self-approval: the requester is never a candidate, even as the app owner", async () => {
    const { maya, admin, omar } = await org();
    // Omar asks for his own application's admin role: his manager step goes to whoever is above him (nobody), the
    // owner steps have no one but him, so nobody could approve it; the request is refused up front.
    await expect(submitAccessRequest(deps, await actorFor(testDb, omar.id), ask({ entitlementId: admin.id, beneficiaryId: omar.id }))).rejects.toThrow(Invalid);
    // With a manager (Maya) he can ask, but the two-person rule needs someone besides Maya: still refused.
    await testDb.update(identities).set({ managerId: maya.id }).where(eq(identities.id, omar.id));
    await expect(submitAccessRequest(deps, await actorFor(testDb, omar.id), ask({ entitlementId: admin.id, beneficiaryId: omar.id }))).rejects.toThrow(/two different approvers/);
  });

  it("enforces the two-person rule when one person is both manager and app owner", async () => {
    const { maya, erin, admin, app } = await org({ ownerId: null });
    await testDb.insert(applicationOwners).values({ applicationId: app.id, identityId: maya.id });
    const { requestId } = await submitAccessRequest(deps, await actorFor(testDb, erin.id), ask({ entitlementId: admin.id, beneficiaryId: erin.id }));
    const steps = await stepsOf(requestId);
    const mayaActor = await actorFor(testDb, maya.id);
    await decideApprovalStep(deps, mayaActor, { stepId: steps[0]!.id, decision: "approve" });
    // Omar is also an owner, so the step waits for him; Maya may not approve it a second time.
    await expect(decideApprovalStep(deps, mayaActor, { stepId: steps[1]!.id, decision: "approve" })).rejects.toThrow(/two different approvers/);
    expect((await stepsOf(requestId))[1]!.status).toBe("pending");
  });

  it("approves shorter, never longer, and a denial needs a reason and ends the chain", async () => {
    const { maya, erin, omar, admin } = await org();
    const { requestId } = await submitAccessRequest(deps, await actorFor(testDb, erin.id), ask({ entitlementId: admin.id, beneficiaryId: erin.id, kind: "time_bound", durationAmount: "4" }));
    const steps = await stepsOf(requestId);
    const mayaActor = await actorFor(testDb, maya.id);
    await expect(decideApprovalStep(deps, mayaActor, { stepId: steps[0]!.id, decision: "approve", durationMinutes: 300 })).rejects.toMatchObject({
      fieldErrors: { durationMinutes: expect.any(Array) },
    });
    await decideApprovalStep(deps, mayaActor, { stepId: steps[0]!.id, decision: "approve", durationMinutes: 60, comment: "one hour is enough" });
    const done = await decideApprovalStep(deps, await actorFor(testDb, omar.id), { stepId: steps[1]!.id, decision: "approve" });
    const [grant] = await testDb.select().from(grants).where(eq(grants.id, done.grantId!));
    expect(grant!.expiresAt!.getTime() - grant!.grantedAt.getTime()).toBe(HOUR);

    const other = await org();
    const { requestId: denied } = await submitAccessRequest(deps, await actorFor(testDb, other.erin.id), ask({ entitlementId: other.admin.id, beneficiaryId: other.erin.id }));
    const deniedSteps = await stepsOf(denied);
    await decideApprovalStep(deps, await actorFor(testDb, other.maya.id), { stepId: deniedSteps[0]!.id, decision: "deny", comment: "Use the read-only role" });
    expect((await stepsOf(denied)).map((s) => s.status)).toEqual(["denied", "skipped", "skipped"]);
    const [row] = await testDb.select().from(accessRequests).where(eq(accessRequests.id, denied));
    expect(row!.status).toBe("denied");
  });

  it("expires undecided requests under a moved clock, keeps their history, and can be withdrawn before", async () => {
    const { erin, maya, admin } = await org();
    const { requestId } = await submitAccessRequest(deps, await actorFor(testDb, erin.id), ask({ entitlementId: admin.id, beneficiaryId: erin.id }));
    const other = await org();
    const { requestId: withdrawn } = await submitAccessRequest(deps, await actorFor(testDb, other.erin.id), ask({ entitlementId: other.admin.id, beneficiaryId: other.erin.id }));
    await expect(cancelAccessRequest(deps, await actorFor(testDb, other.maya.id), { requestId: withdrawn })).rejects.toBeInstanceOf(NotFound);
    await cancelAccessRequest(deps, await actorFor(testDb, other.erin.id), { requestId: withdrawn });

    const start = clock;
    try {
      clock = new Date(start.getTime() + 7 * 24 * HOUR - 60_000);
      expect(await expireDueRequests(deps)).toBe(0);
      clock = new Date(start.getTime() + 7 * 24 * HOUR);
      expect(await expireDueRequests(deps)).toBeGreaterThanOrEqual(1);
      const [request] = await testDb.select().from(accessRequests).where(eq(accessRequests.id, requestId));
      expect(request).toMatchObject({ status: "expired", decidedAt: clock });
      expect((await stepsOf(requestId)).map((s) => s.status)).toEqual(["expired", "expired", "expired"]);
      const [cancelled] = await testDb.select().from(accessRequests).where(eq(accessRequests.id, withdrawn));
      expect(cancelled!.status).toBe("cancelled");
      // Deciding after the deadline is refused.
      await expect(decideApprovalStep(deps, await actorFor(testDb, maya.id), { stepId: (await stepsOf(requestId))[0]!.id, decision: "approve" })).rejects.toBeInstanceOf(Forbidden);
      const trail = await testDb.select({ action: auditEvents.action, kind: auditEvents.actorKind }).from(auditEvents).where(eq(auditEvents.entityId, requestId)).orderBy(asc(auditEvents.id));
      expect(trail).toEqual([
        { action: "request.submitted", kind: "human" },
        { action: "request.expired", kind: "system" },
      ]);
      expect(await expireDueRequests(deps)).toBe(0);
    } finally {
      clock = start;
    }
  });
});
