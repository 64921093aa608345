import { describe, expect, it } from "vitest";
import type { Actor } from "./actor";
import { canAcceptFinding, canActOnFindingGrant, canRecomputeFindings, type FindingFacts, type FindingGrantFacts } from "./finding-rules";

const person = (id: string, roles: Actor["roles"] = []): Actor => ({ id, displayName: id, email: null, roles, isManager: false, isAppOwner: false, isNhiOwner: false });
const admin = person("admin", ["admin"]);
const auditor = person("auditor", ["auditor"]);
const adminAuditor = person("both", ["admin", "auditor"]);
const findingOwner = person("finding-owner");
const appOwner = person("app-owner");
const entitlementOwner = person("ent-owner");
const holder = person("holder");
const stranger = person("stranger");

const finding: FindingFacts = { status: "open", ownerId: "finding-owner", identityId: "holder" };
const grant: FindingGrantFacts = { identityId: "holder", applicationOwnerIds: ["app-owner"], entitlementOwnerId: "ent-owner" };

describe("canRecomputeFindings", () => {
  it("is for admins who are not also auditors", () => {
    expect(canRecomputeFindings(admin)).toBe(true);
    for (const actor of [adminAuditor, auditor, findingOwner]) expect(canRecomputeFindings(actor)).toBe(false);
  });
});

describe("canAcceptFinding", () => {
  it("lets an admin or the finding's owner accept an open or already accepted finding", () => {
    expect(canAcceptFinding(admin, finding)).toEqual({ allowed: true });
    expect(canAcceptFinding(findingOwner, finding)).toEqual({ allowed: true });
    expect(canAcceptFinding(findingOwner, { ...finding, status: "accepted" })).toEqual({ allowed: true });
  });
  it("refuses auditors, anyone else, a risk on one's own access, and resolved findings, saying which", () => {
    expect(canAcceptFinding(adminAuditor, finding)).toEqual({ allowed: false, reason: expect.stringMatching(/^Auditors cannot accept/) });
    expect(canAcceptFinding(appOwner, finding)).toEqual({ allowed: false, reason: expect.stringMatching(/Only an admin or the finding's owner/) });
    expect(canAcceptFinding(findingOwner, { ...finding, identityId: "finding-owner" })).toEqual({ allowed: false, reason: expect.stringMatching(/their own access/) });
    expect(canAcceptFinding(admin, { ...finding, identityId: "admin" })).toEqual({ allowed: false, reason: expect.stringMatching(/their own access/) });
    expect(canAcceptFinding(admin, { ...finding, status: "resolved" })).toEqual({ allowed: false, reason: expect.stringMatching(/resolved; there is nothing to accept/) });
  });
});

describe("canActOnFindingGrant", () => {
  it("lets admins, the finding's owner and the owners of the application or entitlement act", () => {
    for (const actor of [admin, findingOwner, appOwner, entitlementOwner]) expect(canActOnFindingGrant(actor, finding, grant)).toEqual({ allowed: true });
  });
  it("refuses auditors, the holder (even as an owner), strangers and resolved findings, saying which", () => {
    expect(canActOnFindingGrant(adminAuditor, finding, grant)).toEqual({ allowed: false, reason: expect.stringMatching(/^Auditors cannot revoke/) });
    expect(canActOnFindingGrant(holder, finding, { ...grant, applicationOwnerIds: ["holder"] })).toEqual({ allowed: false, reason: expect.stringMatching(/their own access/) });
    expect(canActOnFindingGrant(stranger, finding, grant)).toEqual({ allowed: false, reason: expect.stringMatching(/Only an admin, the finding's owner or the application's owner/) });
    expect(canActOnFindingGrant(admin, { ...finding, status: "resolved" }, grant)).toEqual({ allowed: false, reason: expect.stringMatching(/This finding is resolved/) });
  });
});
