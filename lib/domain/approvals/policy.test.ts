import { describe, expect, it } from "vitest";
import { activationLimitMinutes, checkActivation, checkRequest, effectiveChain, planChain, requestableKinds, stepOnArrival, TICKET_PATTERN, type ChainFacts, type EntitlementPolicy } from "./policy";

const policy: EntitlementPolicy = {
  privileged: true,
  breakGlass: false,
  allowedKinds: ["eligible", "time_bound"],
  maxDurationMinutes: 240,
  requiresTicket: true,
  approvalChain: ["manager", "app_owner"],
  twoPersonRule: true,
};

const facts: ChainFacts = { requesterId: "erin", beneficiaryId: "erin", managerLine: ["maya", "director"], appOwnerIds: ["omar"], entitlementOwnerId: "omar", namedApproverIds: [] };

describe("checkRequest", () => {
  it("accepts what the policy allows", () => {
    expect(checkRequest(policy, { kind: "eligible", durationMinutes: null, ticket: "ENG-1" })).toEqual({});
    expect(checkRequest(policy, { kind: "time_bound", durationMinutes: 240, ticket: "ENG-1" })).toEqual({});
  });
  it("names the field at fault", () => {
    expect(checkRequest(policy, { kind: "standing", durationMinutes: null, ticket: "ENG-1" })).toEqual({
      kind: ["This entitlement's policy allows only time-bound or just-in-time (eligible) access."],
    });
    expect(checkRequest(policy, { kind: "time_bound", durationMinutes: 241, ticket: "ENG-1" })).toEqual({ duration: ["The policy allows at most 4 hours."] });
    expect(checkRequest(policy, { kind: "time_bound", durationMinutes: null, ticket: null })).toEqual({
      duration: ["Say how long you need time-bound access."],
      ticket: ["This entitlement's policy requires a ticket reference."],
    });
    expect(checkRequest({ ...policy, allowedKinds: ["standing"], requiresTicket: false }, { kind: "standing", durationMinutes: 60, ticket: null })).toHaveProperty("duration");
  });
  it("lets break-glass entitlements be held only as eligible", () => {
    expect(requestableKinds({ allowedKinds: ["standing", "time_bound", "eligible"], breakGlass: true })).toEqual(["eligible"]);
    expect(checkRequest({ ...policy, breakGlass: true }, { kind: "time_bound", durationMinutes: 60, ticket: "ENG-1" })).toHaveProperty("kind");
  });
});

describe("checkActivation", () => {
  it("caps the window at the policy maximum, or 8 hours when it sets none", () => {
    expect(checkActivation(policy, { minutes: 240, breakGlass: false, incidentId: null, ticket: "ENG-1" })).toEqual({});
    expect(checkActivation(policy, { minutes: 241, breakGlass: false, incidentId: null, ticket: "ENG-1" })).toEqual({ durationMinutes: ["The policy allows windows of at most 4 hours."] });
    expect(activationLimitMinutes({ maxDurationMinutes: null })).toBe(480);
  });
  it("keeps break-glass and ordinary windows apart, and requires an incident to break the glass", () => {
    const glass = { ...policy, breakGlass: true };
    expect(checkActivation(glass, { minutes: 30, breakGlass: false, incidentId: null, ticket: "ENG-1" })).toHaveProperty("form");
    expect(checkActivation(policy, { minutes: 30, breakGlass: true, incidentId: "INC-1", ticket: null })).toHaveProperty("form");
    expect(checkActivation(glass, { minutes: 30, breakGlass: true, incidentId: null, ticket: null })).toEqual({ incidentId: ["Break-glass needs the incident it is for."] });
    // The incident stands in for the ticket.
    expect(checkActivation(glass, { minutes: 30, breakGlass: true, incidentId: "INC-1", ticket: null })).toEqual({});
  });
});

describe("effectiveChain", () => {
  it("adds the entitlement owner for privileged entitlements that have one, in a fixed order", () => {
    expect(effectiveChain(policy, true)).toEqual(["manager", "app_owner", "entitlement_owner"]);
    expect(effectiveChain(policy, false)).toEqual(["manager", "app_owner"]);
    expect(effectiveChain({ privileged: false, approvalChain: ["app_owner", "manager"] }, true)).toEqual(["manager", "app_owner"]);
  });
  it("keeps a named-approver step, last", () => {
    expect(effectiveChain({ privileged: false, approvalChain: ["named", "manager"] }, false)).toEqual(["manager", "named"]);
    expect(effectiveChain({ ...policy, approvalChain: ["named", "app_owner"] }, true)).toEqual(["app_owner", "entitlement_owner", "named"]);
  });
});

describe("planChain", () => {
  it("asks the manager, then any app owner, then the entitlement owner", () => {
    const plan = planChain(policy, facts);
    expect(plan).toEqual({
      ok: true,
      steps: [
        { rule: "manager", approverId: "maya", candidates: ["maya"], skipReason: null },
        { rule: "app_owner", approverId: null, candidates: ["omar"], skipReason: null },
        { rule: "entitlement_owner", approverId: null, candidates: ["omar"], skipReason: null },
      ],
    });
  });
  it("never asks the requester or the beneficiary: a manager asking for a report goes to the next manager", () => {
    const plan = planChain(policy, { ...facts, requesterId: "maya" });
    expect(plan.ok && plan.steps[0]).toMatchObject({ approverId: "director" });
  });
  it("skips a step with nobody to ask, saying why, and refuses a chain nobody can approve", () => {
    const noManager = planChain({ ...policy, privileged: false }, { ...facts, managerLine: [] });
    expect(noManager.ok && noManager.steps[0]).toMatchObject({ rule: "manager", skipReason: "No manager on record who could approve." });
    // Privileged, only Omar could approve: the two-person rule refuses it.
    expect(planChain(policy, { ...facts, managerLine: [] }).ok).toBe(false);
    const own = planChain({ ...policy, privileged: false }, { ...facts, requesterId: "omar", beneficiaryId: "omar", managerLine: [] });
    expect(own).toEqual({ ok: false, reason: expect.stringMatching(/Nobody can approve/) });
  });
  it("needs two different people for privileged access under the two-person rule", () => {
    const one = { ...facts, managerLine: ["omar"] };
    expect(planChain(policy, one)).toEqual({ ok: false, reason: expect.stringMatching(/two different approvers/) });
    expect(planChain({ ...policy, twoPersonRule: false }, one).ok).toBe(true);
    expect(planChain({ ...policy, privileged: false }, one).ok).toBe(true);
  });
});

describe("planChain with named approvers", () => {
  const named = { ...policy, approvalChain: ["manager", "named"] as const };
  // No entitlement owner, so privileged access adds no owner step here.
  const facts: ChainFacts = { requesterId: "erin", beneficiaryId: "erin", managerLine: ["maya", "director"], appOwnerIds: ["omar"], entitlementOwnerId: null, namedApproverIds: [] };
  it("asks any one of the named approvers at the named step", () => {
    const plan = planChain(named, { ...facts, namedApproverIds: ["nina", "noah"] });
    expect(plan.ok && plan.steps.at(-1)).toEqual({ rule: "named", approverId: null, candidates: ["nina", "noah"], skipReason: null });
  });
  it("never asks the requester or the beneficiary, even when they are named", () => {
    const plan = planChain(named, { ...facts, namedApproverIds: ["erin", "nina"] });
    expect(plan.ok && plan.steps.at(-1)).toMatchObject({ candidates: ["nina"] });
    const forReport = planChain(named, { ...facts, requesterId: "maya", beneficiaryId: "erin", managerLine: ["maya", "director"], namedApproverIds: ["maya", "erin", "nina"] });
    expect(forReport.ok && forReport.steps.map((s) => s.candidates)).toEqual([["director"], ["nina"]]);
  });
  it("passes a named step nobody could decide, saying why", () => {
    const plan = planChain({ ...named, privileged: false }, { ...facts, namedApproverIds: ["erin"] });
    expect(plan.ok && plan.steps.at(-1)).toMatchObject({ rule: "named", candidates: [], skipReason: "There is no active named approver other than you who could approve." });
  });
  it("counts named approvers towards the two different people privileged access needs", () => {
    const onlyNamed = { ...policy, approvalChain: ["named"] as const };
    expect(planChain(onlyNamed, { ...facts, namedApproverIds: ["nina"] })).toEqual({ ok: false, reason: expect.stringMatching(/two different approvers/) });
    expect(planChain(onlyNamed, { ...facts, namedApproverIds: ["nina", "noah"] }).ok).toBe(true);
    // The manager who is also named is still one person.
    expect(planChain(named, { ...facts, managerLine: ["maya"], namedApproverIds: ["maya"] }).ok).toBe(false);
  });
});

describe("stepOnArrival", () => {
  it("asks the remaining candidates, passes a step everyone already approved", () => {
    expect(stepOnArrival(policy, { candidates: ["omar"], earlierApproverIds: ["maya"] })).toBe("ask");
    expect(stepOnArrival(policy, { candidates: ["omar"], earlierApproverIds: ["maya", "omar"] })).toBe("satisfied");
    expect(stepOnArrival({ privileged: false, twoPersonRule: true }, { candidates: ["maya"], earlierApproverIds: ["maya"] })).toBe("satisfied");
  });
  it("still needs a second person for privileged access when only one has approved: nobody left may decide", () => {
    expect(stepOnArrival(policy, { candidates: ["maya"], earlierApproverIds: ["maya"] })).toBe("nobody");
    expect(stepOnArrival({ ...policy, twoPersonRule: false }, { candidates: ["maya"], earlierApproverIds: ["maya"] })).toBe("satisfied");
  });
  it("says nobody may decide a step whose people are all gone", () => {
    expect(stepOnArrival(policy, { candidates: [], earlierApproverIds: ["maya"] })).toBe("nobody");
    expect(stepOnArrival({ privileged: false, twoPersonRule: false }, { candidates: [], earlierApproverIds: [] })).toBe("nobody");
  });
});

describe("ticket references", () => {
  it("accepts tracker formats and refuses prose", () => {
    for (const ok of ["ENG-5188", "INC0012345", "CHG-42", "sup-2291"]) expect(TICKET_PATTERN.test(ok)).toBe(true);
    for (const bad of ["", "see slack", "ENG-", "1234", "ENG 5188", "<script>-1"]) expect(TICKET_PATTERN.test(bad)).toBe(false);
  });
});
