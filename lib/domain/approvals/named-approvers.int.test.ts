import { and, asc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { countDecidable, listRequests } from "@/db/queries/request-views";
import { approvalSteps, auditEvents, entitlementApprovers, grants, notifications } from "@/db/schema";
import { Forbidden, Invalid } from "@/lib/errors";
import { lookUpNamedApprover } from "@/lib/domain/entitlements/look-up-approver";
import { setEntitlementPolicy, setPolicyInput } from "@/lib/domain/entitlements/set-policy";
import { actorFor, makeApplication, makeEntitlement, makeNonHuman, makePerson } from "@/lib/testing/factories";
import { testDb, testDeps } from "@/lib/testing/test-db";
import { decideApprovalStep } from "./decide-step";
import { submitAccessRequest, submitRequestInput } from "./submit-request";
import { requestView } from "./views";

let clock = new Date("2026-11-23T10:00:00Z");
const deps = testDeps(() => clock);

/** Erin reports to Maya; Omar owns the application; Nina and Noah are named approvers of the entitlement. */
async function org(policy: Partial<Parameters<typeof makeEntitlement>[1]> = {}, extraNamed: string[] = []) {
  const maya = await makePerson(testDb);
  const erin = await makePerson(testDb, { managerId: maya.id });
  const omar = await makePerson(testDb);
  const nina = await makePerson(testDb);
  const noah = await makePerson(testDb);
  const app = await makeApplication(testDb, { ownerIds: [omar.id] });
  const entitlement = await makeEntitlement(testDb, { applicationId: app.id, name: "payroll-export", approvalChain: ["named"], allowedKinds: ["time_bound", "eligible"], ...policy });
  for (const identityId of [nina.id, noah.id, ...extraNamed]) await testDb.insert(entitlementApprovers).values({ entitlementId: entitlement.id, identityId });
  return { maya, erin, omar, nina, noah, app, entitlement };
}

const ask = (input: Record<string, unknown>) => submitRequestInput.parse({ justification: "Run the month-end payroll export", kind: "eligible", ...input });
const stepsOf = (requestId: string) => testDb.select().from(approvalSteps).where(eq(approvalSteps.requestId, requestId)).orderBy(asc(approvalSteps.position));
const needs = async (actorId: string) => (await listRequests(testDb, { mode: "needs", actorId })).rows.map((r) => r.id);

describe("named approvers", () => {
  it("asks any one of the named approvers, shows the request in their queue and names them to the requester; one approval decides", async () => {
    const { erin, omar, nina, noah, entitlement } = await org();
    const { requestId } = await submitAccessRequest(deps, await actorFor(testDb, erin.id), ask({ entitlementId: entitlement.id, beneficiaryId: erin.id }));
    const [step] = await stepsOf(requestId);
    expect(step).toMatchObject({ rule: "named", approverId: null, status: "pending" });

    const told = await testDb
      .select({ recipientId: notifications.recipientId })
      .from(notifications)
      .where(eq(notifications.link, `/approvals?request=${requestId}`));
    expect(told.map((n) => n.recipientId).sort()).toEqual([nina.id, noah.id].sort());
    expect(await needs(nina.id)).toContain(requestId);
    expect(await needs(noah.id)).toContain(requestId);
    expect(await countDecidable(testDb, { actorId: nina.id })).toBe(1);
    // The app owner is not named: the queue does not offer it and the decision is refused.
    expect(await needs(omar.id)).not.toContain(requestId);
    await expect(decideApprovalStep(deps, await actorFor(testDb, omar.id), { stepId: step!.id, decision: "approve" })).rejects.toThrow(new Forbidden("This step is assigned to someone else."));

    const seen = await requestView(deps, await actorFor(testDb, erin.id), requestId);
    expect(seen.steps[0]!.candidates.map((c) => c.id).sort()).toEqual([nina.id, noah.id].sort());

    const done = await decideApprovalStep(deps, await actorFor(testDb, nina.id), { stepId: step!.id, decision: "approve", comment: "Month-end" });
    expect(done.outcome).toBe("fulfilled");
    const [grant] = await testDb.select().from(grants).where(eq(grants.id, done.grantId!));
    expect(grant).toMatchObject({ identityId: erin.id, approvedById: nina.id, source: "request" });
    expect(await needs(noah.id)).not.toContain(requestId);
  });

  it("never lets a named approver approve their own request", async () => {
    const { erin, nina, entitlement } = await org({}, []);
    await testDb.insert(entitlementApprovers).values({ entitlementId: entitlement.id, identityId: erin.id });
    const erinActor = await actorFor(testDb, erin.id);
    const { requestId } = await submitAccessRequest(deps, erinActor, ask({ entitlementId: entitlement.id, beneficiaryId: erin.id }));
    const [step] = await stepsOf(requestId);
    await expect(decideApprovalStep(deps, erinActor, { stepId: step!.id, decision: "approve" })).rejects.toThrow(new Forbidden("Nobody may approve their own request."));
    expect(await needs(erin.id)).not.toContain(requestId);
    const seen = await requestView(deps, erinActor, requestId);
    expect(seen.steps[0]!.candidates.map((c) => c.id)).not.toContain(erin.id);
    expect(seen.decision).toMatchObject({ allowed: false });
    expect((await decideApprovalStep(deps, await actorFor(testDb, nina.id), { stepId: step!.id, decision: "approve" })).outcome).toBe("fulfilled");
  });

  it("keeps the two-person rule: a manager who is also named cannot approve both steps of privileged access", async () => {
    const { maya, erin, nina, entitlement } = await org({ privileged: true, approvalChain: ["manager", "named"] });
    await testDb.insert(entitlementApprovers).values({ entitlementId: entitlement.id, identityId: maya.id });
    const { requestId } = await submitAccessRequest(deps, await actorFor(testDb, erin.id), ask({ entitlementId: entitlement.id, beneficiaryId: erin.id }));
    const steps = await stepsOf(requestId);
    const mayaActor = await actorFor(testDb, maya.id);
    await decideApprovalStep(deps, mayaActor, { stepId: steps[0]!.id, decision: "approve" });
    await expect(decideApprovalStep(deps, mayaActor, { stepId: steps[1]!.id, decision: "approve" })).rejects.toThrow(/two different approvers/);
    expect(await needs(maya.id)).not.toContain(requestId);
    expect((await decideApprovalStep(deps, await actorFor(testDb, nina.id), { stepId: steps[1]!.id, decision: "approve" })).outcome).toBe("fulfilled");
  });
});

describe("setting named approvers in the policy", () => {
  const form = (entitlementId: string, extra: Record<string, unknown> = {}) => ({ entitlementId, kindTimeBound: "on", chainManager: "on", twoPersonRule: "on", ...extra });

  it("names the field when the named step has nobody or the list is not ids", () => {
    const id = crypto.randomUUID();
    const noOne = setPolicyInput.safeParse(form(id, { chainNamed: "on", namedApproverIds: "" }));
    expect(noOne.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([["namedApproverIds", "Name at least one approver for the named-approver step."]]);
    const junk = setPolicyInput.safeParse(form(id, { chainNamed: "on", namedApproverIds: "nina@example.com" }));
    expect(junk.error?.issues.map((i) => i.path.join("."))).toEqual(["namedApproverIds"]);
    const onlyNamed = setPolicyInput.parse(form(id, { chainManager: undefined, chainNamed: "on", namedApproverIds: `${id},${id.toUpperCase()}` }));
    expect(onlyNamed).toMatchObject({ namedApproverIds: [id], values: { approvalChain: ["named"] } });
  });

  it("refuses leavers, suspended people and non-human identities, naming the field", async () => {
    const { omar, nina, entitlement } = await org();
    const leaver = await makePerson(testDb, { status: "leaver", displayName: "Lee Leaver" });
    const bot = await makeNonHuman(testDb, { ownerId: omar.id, displayName: "svc-payroll" });
    const owner = await actorFor(testDb, omar.id);
    const attempt = (ids: string[]) => setEntitlementPolicy(deps, owner, setPolicyInput.parse(form(entitlement.id, { chainNamed: "on", namedApproverIds: ids.join(",") })));
    await expect(attempt([nina.id, leaver.id])).rejects.toMatchObject({ code: "INVALID", fieldErrors: { namedApproverIds: ["Lee Leaver is a leaver: remove them or choose someone active."] } });
    await expect(attempt([bot.id])).rejects.toMatchObject({ fieldErrors: { namedApproverIds: ["svc-payroll is not a person: only people can approve."] } });
    await expect(attempt([crypto.randomUUID()])).rejects.toBeInstanceOf(Invalid);
    // Nothing was saved by the refused attempts.
    const kept = await testDb.select({ id: entitlementApprovers.identityId }).from(entitlementApprovers).where(eq(entitlementApprovers.entitlementId, entitlement.id));
    expect(kept).toHaveLength(2);
  });

  it("saves the named approvers with the policy, audited before and after; other people cannot", async () => {
    const { omar, nina, noah, erin, entitlement } = await org();
    const owner = await actorFor(testDb, omar.id);
    clock = new Date("2026-11-24T09:00:00Z");
    const result = await setEntitlementPolicy(deps, owner, setPolicyInput.parse(form(entitlement.id, { chainNamed: "on", namedApproverIds: `${noah.id},${erin.id}` })));
    expect(result.changed).toBe(true);
    const rows = await testDb.select().from(entitlementApprovers).where(eq(entitlementApprovers.entitlementId, entitlement.id));
    expect(rows.map((r) => r.identityId).sort()).toEqual([noah.id, erin.id].sort());
    // Noah was named before (by the factory, no one recorded); Erin is new, added by Omar now.
    expect(rows.find((r) => r.identityId === erin.id)).toMatchObject({ addedById: omar.id, addedAt: clock });
    expect(rows.find((r) => r.identityId === noah.id)!.addedById).toBeNull();

    const [event] = await testDb
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.entityId, entitlement.id), eq(auditEvents.action, "entitlement.policy_changed")));
    expect(event!.before).toMatchObject({ approvalChain: ["named"], namedApproverIds: [nina.id, noah.id].sort() });
    expect(event!.after).toMatchObject({ approvalChain: ["manager", "named"], namedApproverIds: [noah.id, erin.id].sort() });

    const stranger = await actorFor(testDb, nina.id);
    await expect(setEntitlementPolicy(deps, stranger, setPolicyInput.parse(form(entitlement.id, { chainNamed: "on", namedApproverIds: nina.id })))).rejects.toBeInstanceOf(Forbidden);
  });

  it("looks people up by exact email for the entitlement's managers only", async () => {
    const { omar, nina, entitlement } = await org();
    const found = await lookUpNamedApprover(deps, await actorFor(testDb, omar.id), { entitlementId: entitlement.id, email: nina.email!.toUpperCase() });
    expect(found).toMatchObject({ id: nina.id, name: nina.displayName });
    await expect(lookUpNamedApprover(deps, await actorFor(testDb, nina.id), { entitlementId: entitlement.id, email: nina.email! })).rejects.toBeInstanceOf(Forbidden);
    const leaver = await makePerson(testDb, { status: "leaver" });
    await expect(lookUpNamedApprover(deps, await actorFor(testDb, omar.id), { entitlementId: entitlement.id, email: leaver.email! })).rejects.toMatchObject({
      fieldErrors: { email: [expect.any(String)] },
    });
  });
});
