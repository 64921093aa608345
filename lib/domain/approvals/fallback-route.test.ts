import { describe, expect, it } from "vitest";
import { fallbackRoute, type FallbackFacts } from "./fallback-route";

const maya = { id: "maya", name: "Maya Manager", status: "leaver" as const };
const base: FallbackFacts = {
  rule: "manager",
  routedTo: null,
  approver: maya,
  managerLine: [{ id: "dan", name: "Dan Director" }],
  appOwnerIds: ["omar", "olga"],
  adminIds: ["ada"],
  excludedIds: ["erin"],
};

describe("fallbackRoute", () => {
  it("sends a manager step whose manager left to the next active manager up the line", () => {
    expect(fallbackRoute(base)).toEqual({
      approverId: "dan",
      routedTo: null,
      candidates: ["dan"],
      reason: "Maya Manager (the manager) has left: routed to Dan Director, the next manager up the line.",
    });
    expect(fallbackRoute({ ...base, approver: { ...maya, status: "suspended" } })?.reason).toMatch(/^Maya Manager \(the manager\) is suspended: routed to Dan Director/);
  });
  it("skips managers who may not decide (the requester) and then goes to the application's owners", () => {
    expect(fallbackRoute({ ...base, excludedIds: ["erin", "dan"] })).toMatchObject({ approverId: null, routedTo: "app_owners", candidates: ["omar", "olga"] });
    expect(fallbackRoute({ ...base, managerLine: [] })?.reason).toBe("Maya Manager (the manager) has left: routed to the application's owners.");
  });
  it("sends owner and named steps to the application's owners, else to the admins", () => {
    const named = { ...base, rule: "named" as const, approver: null, managerLine: [] };
    expect(fallbackRoute(named)).toEqual({
      approverId: null,
      routedTo: "app_owners",
      candidates: ["omar", "olga"],
      reason: "None of the named approvers is active and allowed to decide it: routed to the application's owners.",
    });
    expect(fallbackRoute({ ...named, rule: "entitlement_owner" })?.routedTo).toBe("app_owners");
    expect(fallbackRoute({ ...named, rule: "app_owner", appOwnerIds: [] })).toMatchObject({
      routedTo: "admins",
      candidates: ["ada"],
      reason: "No owner of the application is active and allowed to decide it: routed to the administrators.",
    });
  });
  it("goes on to the admins when the owners it was routed to are gone too, and stops there", () => {
    expect(fallbackRoute({ ...base, routedTo: "app_owners", approver: null })).toMatchObject({ routedTo: "admins", candidates: ["ada"] });
    expect(fallbackRoute({ ...base, routedTo: "admins", approver: null })).toBeNull();
    expect(fallbackRoute({ ...base, managerLine: [], appOwnerIds: [], adminIds: [] })).toBeNull();
  });
  it("never routes to the requester, the beneficiary or an earlier approver under the two-person rule", () => {
    const owner = fallbackRoute({ ...base, rule: "app_owner", approver: null, excludedIds: ["erin", "omar", "olga"] });
    expect(owner).toMatchObject({ routedTo: "admins", candidates: ["ada"] });
    expect(fallbackRoute({ ...base, managerLine: [], excludedIds: ["omar"] })?.candidates).toEqual(["olga"]);
    expect(fallbackRoute({ ...base, managerLine: [], appOwnerIds: ["ada"], adminIds: ["ada"], excludedIds: ["ada"] })).toBeNull();
  });
  it("says when the manager is still active but ruled out by the two-person rule", () => {
    expect(fallbackRoute({ ...base, approver: { ...maya, status: "active" }, excludedIds: ["maya"] })?.reason).toMatch(/already approved an earlier step/);
  });
});
