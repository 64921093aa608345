import { describe, expect, it } from "vitest";
import {
  activationLimitMinutes,
  checkActivation,
  checkRequest,
  effectiveChain,
  planChain,
  requestableKinds,
  stepOnArrival,
  TICKET_PATTERN,
  type ChainFacts,
  type EntitlementPolicy,
} from "./policy";

const policy: EntitlementPolicy = {
  privileged: true,
  breakGlass: false,
  allowedKinds: ["eligible", "time_bound"],
  maxDurationMinutes: 240,
  requiresTicket: true,
  approvalChain: ["manager", "app_owner"],
  twoPersonRule: true,
};

const facts: ChainFacts = { requesterId: "erin", beneficiaryId: "erin", managerLine: ["maya", "director"], appOwnerIds: ["omar"], entitlementOwnerId: "omar" };

describe("checkRequest", () => {
  it("accepts what the policy allows", () => {
    expect(checkRequest(policy, { kind: "eligible", durationMinutes: null, ticket: "ENG-1" })).toEqual({});
    expect(checkRequest(policy, { kind: "time_bound", durationMinutes: 240, ticket: "ENG-1" })).toEqual({});
  });
  it("names the field at fault", () => {
    expect(checkRequest(policy, { kind: "standing", durationMinutes: null, ticket: "ENG-1" })).toEqual({ kind: ["This entitlement's policy allows only time-bound or just-in-time (eligible) access."] });
    expect(checkRequest(policy, { kind: "time_bound", durationMinutes: 241, ticket: "ENG-1" })).toEqual({ duration: ["The policy allows at most 4 hours."] });
    expect(checkRequest(policy, { kind: "time_bound", durationMinutes: null, ticket: null })).toEqual({ duration: ["Say how long you need time-bound access."], ticket: ["This entitlement's policy requires a ticket reference."] });
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

describe("stepOnArrival", () => {
  it("asks the remaining candidates, passes a step everyone already approved", () => {
    expect(stepOnArrival(policy, { candidates: ["omar"], earlierApproverIds: ["maya"] })).toBe("ask");
    expect(stepOnArrival(policy, { candidates: ["omar"], earlierApproverIds: ["maya", "omar"] })).toBe("satisfied");
    expect(stepOnArrival({ privileged: false, twoPersonRule: true }, { candidates: ["maya"], earlierApproverIds: ["maya"] })).toBe("satisfied");
  });
  it("still needs a second person for privileged access when only one has approved", () => {
    expect(stepOnArrival(policy, { candidates: ["maya"], earlierApproverIds: ["maya"] })).toBe("ask");
    expect(stepOnArrival({ ...policy, twoPersonRule: false }, { candidates: ["maya"], earlierApproverIds: ["maya"] })).toBe("satisfied");
  });
});

describe("ticket references", () => {
  it("accepts tracker formats and refuses prose", () => {
    for (const ok of ["ENG-5188", "INC0012345", "CHG-42", "sup-2291"]) expect(TICKET_PATTERN.test(ok)).toBe(true);
    for (const bad of ["", "see slack", "ENG-", "1234", "ENG 5188", "<script>-1"]) expect(TICKET_PATTERN.test(bad)).toBe(false);
  });
});
