import { describe, expect, it } from "vitest";
import type { Actor } from "./actor";
import {
  canActivateGrant,
  canAssignRole,
  canChangeIdentityStatus,
  canEndActivation,
  canRequestFor,
  canDecideApprovalStep,
  canDecideReviewItem,
  canManageCampaign,
  canManageEntitlement,
  canManageSodRules,
  canViewAuditTrail,
  canViewCampaign,
  canViewGrant,
  canViewIdentity,
  canViewReviewItem,
  canViewSodRules,
  mayCreateCampaigns,
  mayExportEvidence,
  mayListCampaigns,
  type ApprovalStepFacts,
  type IdentityFacts,
  type ReviewItemFacts,
} from "./rules";

const person = (id: string, roles: Actor["roles"] = []): Actor => ({
  id,
  displayName: id,
  email: `${id}@example.test`,
  roles,
  isManager: false,
  isAppOwner: false,
  isNhiOwner: false,
});

const admin = person("admin", ["admin"]);
const auditor = person("auditor", ["auditor"]);
const manager = person("manager");
const owner = person("owner");
const employee = person("employee");
const stranger = person("stranger");

const employeeFacts: IdentityFacts = { id: "employee", managerChain: ["manager", "director"], ownerId: null, holdsAccessOwnedByActor: false };

describe("canViewIdentity", () => {
  it("lets admins and auditors see anyone", () => {
    expect(canViewIdentity(admin, employeeFacts)).toBe(true);
    expect(canViewIdentity(auditor, employeeFacts)).toBe(true);
  });
  it("lets people see themselves and managers see everyone below them", () => {
    expect(canViewIdentity(employee, employeeFacts)).toBe(true);
    expect(canViewIdentity(manager, employeeFacts)).toBe(true);
    expect(canViewIdentity(person("director"), employeeFacts)).toBe(true);
  });
  it("lets an owner see their non-human identity and an app owner see who holds their access", () => {
    expect(canViewIdentity(owner, { id: "svc", managerChain: [], ownerId: "owner", holdsAccessOwnedByActor: false })).toBe(true);
    expect(canViewIdentity(owner, { ...employeeFacts, holdsAccessOwnedByActor: true })).toBe(true);
  });
  it("hides everyone else", () => {
    expect(canViewIdentity(stranger, employeeFacts)).toBe(false);
    expect(canViewIdentity(employee, { id: "manager", managerChain: ["director"], ownerId: null, holdsAccessOwnedByActor: false })).toBe(false);
  });
});

describe("canViewGrant", () => {
  const grant = { identity: employeeFacts, applicationOwnerIds: ["owner"], entitlementOwnerId: "ent-owner" };
  it("allows the holder, their managers, the app owner and the entitlement owner", () => {
    for (const actor of [employee, manager, owner, person("ent-owner"), auditor, admin]) expect(canViewGrant(actor, grant)).toBe(true);
  });
  it("denies anyone else", () => {
    expect(canViewGrant(stranger, grant)).toBe(false);
  });
});

describe("canManageEntitlement", () => {
  const entitlement = { applicationOwnerIds: ["owner"], ownerId: "ent-owner" };
  it("allows app owners, the entitlement owner and admins", () => {
    expect(canManageEntitlement(owner, entitlement)).toBe(true);
    expect(canManageEntitlement(person("ent-owner"), entitlement)).toBe(true);
    expect(canManageEntitlement(admin, entitlement)).toBe(true);
  });
  it("denies auditors, managers and employees", () => {
    expect(canManageEntitlement(auditor, entitlement)).toBe(false);
    expect(canManageEntitlement(manager, entitlement)).toBe(false);
    expect(canManageEntitlement(employee, entitlement)).toBe(false);
  });
  it("denies an owner who is also an auditor: auditors change nothing", () => {
    expect(canManageEntitlement(person("owner", ["auditor"]), entitlement)).toBe(false);
  });
});

describe("canDecideApprovalStep", () => {
  const step: ApprovalStepFacts = {
    approverIds: ["manager"],
    status: "pending",
    requesterId: "employee",
    beneficiaryId: "employee",
    earlierApproverIds: [],
    privileged: true,
    twoPersonRule: true,
  };
  it("allows the assigned approver", () => {
    expect(canDecideApprovalStep(manager, step)).toEqual({ allowed: true });
  });
  it("refuses self-approval, even when the requester is the assigned approver", () => {
    const own = canDecideApprovalStep(employee, { ...step, approverIds: ["employee"] });
    expect(own).toEqual({ allowed: false, reason: "Nobody may approve their own request." });
    expect(canDecideApprovalStep(manager, { ...step, requesterId: "manager" }).allowed).toBe(false);
  });
  it("refuses the beneficiary of a request someone else made for them", () => {
    const forEmployee = { ...step, requesterId: "manager", beneficiaryId: "employee", approverIds: ["employee"] };
    expect(canDecideApprovalStep(employee, forEmployee)).toEqual({ allowed: false, reason: "Nobody may approve their own request." });
  });
  it("refuses someone who is not the step's approver, an auditor, or a decided step", () => {
    expect(canDecideApprovalStep(stranger, step).allowed).toBe(false);
    expect(canDecideApprovalStep(person("manager", ["auditor"]), step).allowed).toBe(false);
    expect(canDecideApprovalStep(manager, { ...step, status: "approved" }).allowed).toBe(false);
  });
  it("enforces two different approvers for privileged access when the policy asks", () => {
    expect(canDecideApprovalStep(manager, { ...step, earlierApproverIds: ["manager"] }).allowed).toBe(false);
    expect(canDecideApprovalStep(manager, { ...step, earlierApproverIds: ["manager"], twoPersonRule: false }).allowed).toBe(true);
    expect(canDecideApprovalStep(manager, { ...step, earlierApproverIds: ["manager"], privileged: false }).allowed).toBe(true);
  });
});

describe("canDecideApprovalStep for an owner step", () => {
  it("lets any of the current owners decide, and nobody else", () => {
    const step: ApprovalStepFacts = {
      approverIds: ["owner", "co-owner"],
      status: "pending",
      requesterId: "employee",
      beneficiaryId: "employee",
      earlierApproverIds: ["manager"],
      privileged: true,
      twoPersonRule: true,
    };
    expect(canDecideApprovalStep(owner, step).allowed).toBe(true);
    expect(canDecideApprovalStep(person("co-owner"), step).allowed).toBe(true);
    expect(canDecideApprovalStep(manager, step).allowed).toBe(false);
  });
});

describe("canRequestFor", () => {
  const erin = { id: "employee", kind: "human" as const, status: "active", managerChain: ["manager", "director"], ownerId: null };
  const bot = { id: "bot", kind: "non_human" as const, status: "active", managerChain: [], ownerId: "employee" };
  it("lets people ask for themselves, managers for anyone below them, owners for their NHIs", () => {
    expect(canRequestFor(employee, erin).allowed).toBe(true);
    expect(canRequestFor(manager, erin).allowed).toBe(true);
    expect(canRequestFor(person("director"), erin).allowed).toBe(true);
    expect(canRequestFor(employee, bot).allowed).toBe(true);
  });
  it("refuses strangers, app owners, auditors and inactive beneficiaries", () => {
    expect(canRequestFor(stranger, erin).allowed).toBe(false);
    expect(canRequestFor(owner, erin).allowed).toBe(false);
    expect(canRequestFor(manager, bot).allowed).toBe(false);
    // A manager line gives no say over a non-human identity, nor an owner field over a person.
    expect(canRequestFor(manager, { ...bot, managerChain: ["manager"] }).allowed).toBe(false);
    expect(canRequestFor(owner, { ...erin, ownerId: "owner" }).allowed).toBe(false);
    expect(canRequestFor(person("employee", ["auditor"]), erin).allowed).toBe(false);
    expect(canRequestFor(employee, { ...erin, status: "leaver" })).toEqual({ allowed: false, reason: "Access can only be requested for an active identity." });
  });
});

describe("activation rules", () => {
  const held = { holderId: "employee", holderKind: "human" as const, holderOwnerId: null, applicationOwnerIds: ["owner"], entitlementOwnerId: null };
  it("lets only the holder (or an NHI's owner) open a window", () => {
    expect(canActivateGrant(employee, held).allowed).toBe(true);
    expect(canActivateGrant(owner, held).allowed).toBe(false);
    expect(canActivateGrant(admin, held).allowed).toBe(false);
    expect(canActivateGrant(employee, { holderId: "bot", holderKind: "non_human", holderOwnerId: "employee" }).allowed).toBe(true);
    expect(canActivateGrant(person("employee", ["auditor"]), held).allowed).toBe(false);
    expect(canActivateGrant(stranger, { holderId: "bot", holderKind: "non_human", holderOwnerId: "employee" }).allowed).toBe(false);
    expect(canActivateGrant(owner, { holderId: "employee", holderKind: "human", holderOwnerId: "owner" }).allowed).toBe(false);
  });
  it("lets the holder, the access's owners and admins end one early, never an auditor or a stranger", () => {
    expect(canEndActivation(employee, held).allowed).toBe(true);
    expect(canEndActivation(owner, held).allowed).toBe(true);
    expect(canEndActivation(admin, held).allowed).toBe(true);
    expect(canEndActivation(auditor, held).allowed).toBe(false);
    expect(canEndActivation(stranger, held).allowed).toBe(false);
    expect(canEndActivation(person("admin", ["admin", "auditor"]), held).allowed).toBe(false);
    expect(canEndActivation(person("owner", ["auditor"]), held).allowed).toBe(false);
  });
});

describe("canDecideReviewItem", () => {
  const item: ReviewItemFacts = { reviewerId: "manager", identityId: "employee", status: "pending", campaignStatus: "active" };
  it("allows the assigned reviewer", () => {
    expect(canDecideReviewItem(manager, item).allowed).toBe(true);
  });
  it("refuses certifying one's own access even when assigned", () => {
    expect(canDecideReviewItem(employee, { ...item, reviewerId: "employee" })).toEqual({ allowed: false, reason: "Nobody may certify their own access." });
  });
  it("refuses other reviewers, auditors, closed items and closed campaigns", () => {
    expect(canDecideReviewItem(stranger, item).allowed).toBe(false);
    expect(canDecideReviewItem(person("manager", ["auditor"]), item).allowed).toBe(false);
    expect(canDecideReviewItem(manager, { ...item, status: "closed" }).allowed).toBe(false);
    expect(canDecideReviewItem(manager, { ...item, campaignStatus: "closed" }).allowed).toBe(false);
  });
});

describe("administration", () => {
  it("lets only admins change status or roles, never their own", () => {
    expect(canChangeIdentityStatus(admin, "employee").allowed).toBe(true);
    expect(canChangeIdentityStatus(admin, "admin").allowed).toBe(false);
    expect(canAssignRole(admin, "employee").allowed).toBe(true);
    expect(canAssignRole(admin, "admin").allowed).toBe(false);
    for (const actor of [auditor, manager, owner, employee]) {
      expect(canChangeIdentityStatus(actor, "stranger").allowed).toBe(false);
      expect(canAssignRole(actor, "stranger").allowed).toBe(false);
    }
  });
  it("lets admins change separation-of-duties rules and auditors read them", () => {
    expect(canManageSodRules(admin).allowed).toBe(true);
    expect(canViewSodRules(auditor)).toBe(true);
    for (const actor of [auditor, manager, owner, employee]) expect(canManageSodRules(actor)).toMatchObject({ allowed: false, reason: expect.stringMatching(/Only admins/) });
    for (const actor of [manager, owner, employee]) expect(canViewSodRules(actor)).toBe(false);
  });
  it("shows the audit trail to admins and auditors only", () => {
    expect(canViewAuditTrail(admin)).toBe(true);
    expect(canViewAuditTrail(auditor)).toBe(true);
    for (const actor of [manager, owner, employee]) expect(canViewAuditTrail(actor)).toBe(false);
  });
});

describe("campaigns", () => {
  const appOwner: Actor = { ...owner, isAppOwner: true };
  const ours = { createdById: "owner", adHoc: false };
  it("are listed by admins, auditors and application owners, and created by admins and application owners", () => {
    for (const actor of [admin, auditor, appOwner]) expect(mayListCampaigns(actor)).toBe(true);
    for (const actor of [manager, employee]) expect(mayListCampaigns(actor)).toBe(false);
    for (const actor of [admin, appOwner]) expect(mayCreateCampaigns(actor)).toBe(true);
    for (const actor of [auditor, { ...appOwner, roles: ["auditor"] as const }, manager, employee]) expect(mayCreateCampaigns(actor)).toBe(false);
  });
  it("are seen by admins, auditors and their creator; nobody else learns they exist", () => {
    for (const actor of [admin, auditor, owner]) expect(canViewCampaign(actor, ours)).toBe(true);
    expect(canViewCampaign(stranger, ours)).toBe(false);
    expect(canViewCampaign(stranger, { createdById: null })).toBe(false);
  });
  it("are launched, closed and extended by an admin or their creator; standing ad-hoc ones stay open", () => {
    expect(canManageCampaign(owner, ours)).toEqual({ allowed: true });
    expect(canManageCampaign(admin, ours)).toEqual({ allowed: true });
    expect(canManageCampaign(stranger, ours).allowed).toBe(false);
    expect(canManageCampaign(person("owner", ["auditor"]), ours).allowed).toBe(false);
    expect(canManageCampaign(admin, { ...ours, adHoc: true }).allowed).toBe(false);
  });
});

describe("canViewReviewItem", () => {
  const item = { reviewerId: "manager", campaignOwnerId: "owner" };
  it("shows an item to its reviewer, the campaign's owner, admins and auditors", () => {
    for (const actor of [manager, owner, admin, auditor]) expect(canViewReviewItem(actor, item)).toBe(true);
  });
  it("hides it from everyone else, the person reviewed included", () => {
    expect(canViewReviewItem(employee, item)).toBe(false);
    expect(canViewReviewItem(stranger, { reviewerId: null, campaignOwnerId: null })).toBe(false);
  });
});

describe("mayExportEvidence", () => {
  it("lets auditors and admins export, nobody else", () => {
    expect(mayExportEvidence(auditor)).toBe(true);
    expect(mayExportEvidence(admin)).toBe(true);
    for (const actor of [manager, owner, employee]) expect(mayExportEvidence(actor)).toBe(false);
  });
});
