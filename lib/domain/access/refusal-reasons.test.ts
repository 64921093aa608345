import { describe, expect, it } from "vitest";
import type { Actor } from "./actor";
import {
  canActivateGrant,
  canAssignRole,
  canAttestRevocation,
  canChangeIdentityStatus,
  canDecideApprovalStep,
  canDecideReviewItem,
  canEndActivation,
  canManageCampaign,
  canRequestFor,
  canRetryRevocation,
  canRevokeGrant,
  type Refusal,
} from "./rules";

/**
 * A refusal is shown to the person as the reason nothing happened, so it must name the check that
 * actually stopped them: the auditor hears that auditors change nothing, not that the item is
 * someone else's. Each case also pins which check comes first.
 */
const person = (id: string, roles: Actor["roles"] = []): Actor => ({ id, displayName: id, email: null, roles, isManager: false, isAppOwner: false, isNhiOwner: false });
const admin = person("admin", ["admin"]);
const auditor = person("auditor", ["auditor"]);
const manager = person("manager");
const employee = person("employee");
const stranger = person("stranger");

const step = { approverIds: ["manager"], status: "pending", requesterId: "employee", beneficiaryId: "employee", earlierApproverIds: [], privileged: true, twoPersonRule: true };
const erin = { id: "employee", kind: "human" as const, status: "active", managerChain: ["manager"], ownerId: null };
const held = { holderId: "employee", holderKind: "human" as const, holderOwnerId: null, applicationOwnerIds: ["owner"], entitlementOwnerId: null };
const item = { reviewerId: "manager", identityId: "employee", status: "pending", campaignStatus: "active" };
const revocation = (status: string, connectorKind = "manual") => ({ status, connectorKind, holderId: "employee", applicationOwnerIds: ["owner"] });

const cases: [string, Refusal, RegExp][] = [
  ["an auditor deciding an approval step", canDecideApprovalStep(person("manager", ["auditor"]), step), /^Auditors cannot approve/],
  ["a step already decided", canDecideApprovalStep(manager, { ...step, status: "approved" }), /not waiting for a decision/],
  ["a step assigned to someone else", canDecideApprovalStep(stranger, step), /assigned to someone else/],
  ["the same approver twice on privileged access", canDecideApprovalStep(manager, { ...step, earlierApproverIds: ["manager"] }), /two different approvers/],
  ["an auditor requesting access", canRequestFor(person("employee", ["auditor"]), erin), /^Auditors cannot request/],
  ["a request for someone outside one's reach", canRequestFor(stranger, erin), /yourself, your reports and the non-human identities you own/],
  ["an auditor activating", canActivateGrant(person("employee", ["auditor"]), held), /^Auditors cannot activate/],
  ["someone else's grant activated", canActivateGrant(stranger, held), /Only the holder/],
  ["an auditor ending a window", canEndActivation(auditor, held), /^Auditors cannot end activations/],
  ["a stranger ending a window", canEndActivation(stranger, held), /the holder, the owners of this access or an admin/],
  ["an auditor deciding a review item", canDecideReviewItem(person("manager", ["auditor"]), item), /^Auditors cannot decide review items/],
  ["another reviewer's item", canDecideReviewItem(stranger, item), /assigned to another reviewer/],
  ["a closed campaign", canDecideReviewItem(manager, { ...item, campaignStatus: "closed" }), /campaign is not open/],
  ["a closed item", canDecideReviewItem(manager, { ...item, status: "closed" }), /item is closed/],
  ["a non-admin changing a status", canChangeIdentityStatus(manager, "employee"), /Only admins can change an identity's status/],
  ["an admin changing their own status", canChangeIdentityStatus(admin, "admin"), /your own status/],
  ["a non-admin assigning roles", canAssignRole(manager, "employee"), /Only admins can assign roles/],
  ["an admin changing their own roles", canAssignRole(admin, "admin"), /your own roles/],
  ["an auditor retrying a revocation", canRetryRevocation(auditor, revocation("failed")), /^Auditors cannot retry/],
  ["a revocation that has not failed", canRetryRevocation(admin, revocation("dispatched")), /Only a failed revocation/],
  ["a stranger retrying a revocation", canRetryRevocation(stranger, revocation("failed")), /Only admins and the application's owners retry/],
  ["an auditor attesting a removal", canAttestRevocation(auditor, revocation("dispatched")), /^Auditors cannot confirm/],
  ["a connector's revocation attested by hand", canAttestRevocation(admin, revocation("dispatched", "scim")), /verified by its connector/],
  ["a removal no longer waiting", canAttestRevocation(admin, revocation("verified")), /not waiting for a confirmation/],
  ["a stranger attesting a removal", canAttestRevocation(stranger, revocation("dispatched")), /Only the application's owners \(or an admin\)/],
  ["an auditor revoking", canRevokeGrant(auditor, { status: "active", applicationOwnerIds: [] }), /^Auditors cannot revoke/],
  ["a grant that is not active", canRevokeGrant(admin, { status: "revoked", applicationOwnerIds: [] }), /not active/],
  ["a stranger revoking", canRevokeGrant(stranger, { status: "active", applicationOwnerIds: ["owner"] }), /Only admins and the application's owners revoke/],
  ["an auditor changing a campaign", canManageCampaign(auditor, { createdById: "auditor", adHoc: false }), /^Auditors cannot change campaigns/],
  ["a standing ad-hoc campaign", canManageCampaign(admin, { createdById: "admin", adHoc: true }), /ad-hoc review campaigns stay open/],
  ["someone else's campaign", canManageCampaign(employee, { createdById: "manager", adHoc: false }), /campaign's owner or an admin/],
];

describe("every refusal tells the person why", () => {
  it.each(cases)("%s", (_, result, reason) => {
    expect(result).toEqual({ allowed: false, reason: expect.stringMatching(reason) });
  });
});
