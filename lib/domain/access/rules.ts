import type { Actor } from "./actor";

/**
 * Who may do what (DESIGN.md "Who may do what"), as pure functions over facts the caller has
 * loaded. The database queries apply the same rules as WHERE clauses for lists; these decide
 * single records and every mutation.
 */

export const isAdmin = (actor: Actor) => actor.roles.includes("admin");
export const isAuditor = (actor: Actor) => actor.roles.includes("auditor");

/** Admins and auditors see the whole inventory; everyone else sees their scope. */
export const seesEverything = (actor: Actor) => isAdmin(actor) || isAuditor(actor);

/** Auditors read everything and change nothing, even if someone also made them admin. */
export const mayChangeAnything = (actor: Actor) => !isAuditor(actor);

export const mayAdminister = (actor: Actor) => isAdmin(actor) && mayChangeAnything(actor);

export interface IdentityFacts {
  id: string;
  /** Managers above the identity, nearest first. */
  managerChain: readonly string[];
  ownerId: string | null;
  /** The identity holds a grant in an application or entitlement the actor owns. */
  holdsAccessOwnedByActor: boolean;
}

export function canViewIdentity(actor: Actor, identity: IdentityFacts): boolean {
  return seesEverything(actor) || identity.id === actor.id || identity.managerChain.includes(actor.id) || identity.ownerId === actor.id || identity.holdsAccessOwnedByActor;
}

export interface GrantFacts {
  identity: IdentityFacts;
  applicationOwnerIds: readonly string[];
  entitlementOwnerId: string | null;
}

export function ownsAccess(actor: Actor, grant: Pick<GrantFacts, "applicationOwnerIds" | "entitlementOwnerId">): boolean {
  return grant.applicationOwnerIds.includes(actor.id) || grant.entitlementOwnerId === actor.id;
}

export function canViewGrant(actor: Actor, grant: GrantFacts): boolean {
  return canViewIdentity(actor, grant.identity) || ownsAccess(actor, grant);
}

/** App owners (and entitlement owners) set an entitlement's privileged flag and policy; admins too. */
export function canManageEntitlement(actor: Actor, entitlement: { applicationOwnerIds: readonly string[]; ownerId: string | null }): boolean {
  if (!mayChangeAnything(actor)) return false;
  return isAdmin(actor) || entitlement.applicationOwnerIds.includes(actor.id) || entitlement.ownerId === actor.id;
}

export type Refusal = { allowed: false; reason: string } | { allowed: true };

const allow: Refusal = { allowed: true };
const refuse = (reason: string): Refusal => ({ allowed: false, reason });

export interface ApprovalStepFacts {
  /** Who may decide the step: its named approver, or the current owners for an owner step. */
  approverIds: readonly string[];
  status: string;
  requesterId: string;
  beneficiaryId: string;
  /** Everyone who has already approved an earlier step of the same request. */
  earlierApproverIds: readonly string[];
  privileged: boolean;
  twoPersonRule: boolean;
}

export function canDecideApprovalStep(actor: Actor, step: ApprovalStepFacts): Refusal {
  if (!mayChangeAnything(actor)) return refuse("Auditors cannot approve requests.");
  if (step.status !== "pending") return refuse("This step is not waiting for a decision.");
  if (actor.id === step.requesterId || actor.id === step.beneficiaryId) return refuse("Nobody may approve their own request.");
  if (!step.approverIds.includes(actor.id)) return refuse("This step is assigned to someone else.");
  if (step.privileged && step.twoPersonRule && step.earlierApproverIds.includes(actor.id)) {
    return refuse("Privileged access needs two different approvers; you already approved an earlier step.");
  }
  return allow;
}

export interface BeneficiaryFacts {
  id: string;
  kind: "human" | "non_human";
  status: string;
  /** Managers above the identity, nearest first. */
  managerChain: readonly string[];
  ownerId: string | null;
}

/** Anyone asks for themselves; a manager for someone below them; an owner for their non-human identity. */
export function canRequestFor(actor: Actor, beneficiary: BeneficiaryFacts): Refusal {
  if (!mayChangeAnything(actor)) return refuse("Auditors cannot request access.");
  const allowed =
    beneficiary.id === actor.id || (beneficiary.kind === "human" && beneficiary.managerChain.includes(actor.id)) || (beneficiary.kind === "non_human" && beneficiary.ownerId === actor.id);
  if (!allowed) return refuse("You can request access for yourself, your reports and the non-human identities you own.");
  if (beneficiary.status !== "active") return refuse("Access can only be requested for an active identity.");
  return allow;
}

export interface HolderFacts {
  holderId: string;
  holderKind: "human" | "non_human";
  holderOwnerId: string | null;
}

/** The holder opens a JIT window on their own eligible grant; for a non-human identity, its owner does. */
export function canActivateGrant(actor: Actor, grant: HolderFacts): Refusal {
  if (!mayChangeAnything(actor)) return refuse("Auditors cannot activate access.");
  if (grant.holderId === actor.id) return allow;
  if (grant.holderKind === "non_human" && grant.holderOwnerId === actor.id) return allow;
  return refuse("Only the holder of this grant can activate it.");
}

/** Ending a window early only reduces access: the holder, the access's owners and admins may. */
export function canEndActivation(actor: Actor, grant: HolderFacts & Pick<GrantFacts, "applicationOwnerIds" | "entitlementOwnerId">): Refusal {
  if (canActivateGrant(actor, grant).allowed) return allow;
  if (!mayChangeAnything(actor)) return refuse("Auditors cannot end activations.");
  if (isAdmin(actor) || ownsAccess(actor, grant)) return allow;
  return refuse("Only the holder, the owners of this access or an admin can end this window.");
}

export interface ReviewItemFacts {
  reviewerId: string | null;
  identityId: string;
  status: string;
  campaignStatus: string;
}

export function canDecideReviewItem(actor: Actor, item: ReviewItemFacts): Refusal {
  if (!mayChangeAnything(actor)) return refuse("Auditors cannot decide review items.");
  if (item.identityId === actor.id) return refuse("Nobody may certify their own access.");
  if (item.reviewerId !== actor.id) return refuse("This item is assigned to another reviewer.");
  if (item.campaignStatus !== "active") return refuse("The campaign is not open for decisions.");
  if (item.status === "closed") return refuse("This item is closed.");
  return allow;
}

/** Admins change identities' status; nobody suspends themselves (it would lock the last admin out). */
export function canChangeIdentityStatus(actor: Actor, identityId: string): Refusal {
  if (!mayAdminister(actor)) return refuse("Only admins can change an identity's status.");
  if (identityId === actor.id) return refuse("You cannot change your own status.");
  return allow;
}

export function canAssignRole(actor: Actor, identityId: string): Refusal {
  if (!mayAdminister(actor)) return refuse("Only admins can assign roles.");
  if (identityId === actor.id) return refuse("You cannot change your own roles.");
  return allow;
}

export const canViewAuditTrail = (actor: Actor) => seesEverything(actor);

/** Separation-of-duties rules decide what is a finding for everyone: admins change them, auditors read them. */
export const canViewSodRules = (actor: Actor) => seesEverything(actor);

export function canManageSodRules(actor: Actor): Refusal {
  if (!mayAdminister(actor)) return refuse("Only admins can change separation-of-duties rules.");
  return allow;
}

/** Auditors and admins export evidence (DESIGN.md); an export changes nothing, and is itself audited. */
export const mayExportEvidence = (actor: Actor) => seesEverything(actor);

/** A review item is seen by its reviewer, the campaign's owner, and admins and auditors; nobody else learns it exists. */
export function canViewReviewItem(actor: Actor, item: { reviewerId: string | null; campaignOwnerId: string | null }): boolean {
  return seesEverything(actor) || item.reviewerId === actor.id || item.campaignOwnerId === actor.id;
}

export interface RevocationFacts {
  status: string;
  connectorKind: string;
  holderId: string;
  applicationOwnerIds: readonly string[];
}

/** A failed revocation is retried by an admin or an owner of the application, never silently dropped. */
export function canRetryRevocation(actor: Actor, revocation: RevocationFacts): Refusal {
  if (!mayChangeAnything(actor)) return refuse("Auditors cannot retry revocations.");
  if (revocation.status !== "failed") return refuse("Only a failed revocation can be retried.");
  if (!isAdmin(actor) && !revocation.applicationOwnerIds.includes(actor.id)) return refuse("Only admins and the application's owners retry its revocations.");
  return allow;
}

/** The manual connector's verification: an app owner (or an admin) attests the access was removed. */
export function canAttestRevocation(actor: Actor, revocation: RevocationFacts): Refusal {
  if (!mayChangeAnything(actor)) return refuse("Auditors cannot confirm revocations.");
  if (revocation.connectorKind !== "manual") return refuse("This revocation is verified by its connector, not by a person.");
  if (revocation.status !== "requested" && revocation.status !== "dispatched") return refuse("This revocation is not waiting for a confirmation.");
  if (revocation.holderId === actor.id) return refuse("Nobody confirms the removal of their own access.");
  if (!isAdmin(actor) && !revocation.applicationOwnerIds.includes(actor.id)) return refuse("Only the application's owners (or an admin) confirm its removals.");
  return allow;
}

/** Campaigns are run by admins and application owners, and read by auditors. */
export const mayListCampaigns = (actor: Actor) => seesEverything(actor) || actor.isAppOwner;

/** Admins create any campaign; an application owner creates campaigns over their own applications (checked per scope). */
export const mayCreateCampaigns = (actor: Actor) => mayChangeAnything(actor) && (isAdmin(actor) || actor.isAppOwner);

/** A campaign is seen by admins, auditors and whoever created it; nobody else learns it exists. */
export function canViewCampaign(actor: Actor, campaign: { createdById: string | null }): boolean {
  return seesEverything(actor) || campaign.createdById === actor.id;
}

/** Launching, closing and extending: an admin or the campaign's creator, never an auditor. */
export function canManageCampaign(actor: Actor, campaign: { createdById: string | null; adHoc: boolean }): Refusal {
  if (!mayChangeAnything(actor)) return refuse("Auditors cannot change campaigns.");
  if (campaign.adHoc) return refuse("Standing ad-hoc review campaigns stay open; they are not closed or extended.");
  if (!isAdmin(actor) && campaign.createdById !== actor.id) return refuse("Only the campaign's owner or an admin can do that.");
  return allow;
}

/** Admins and the application's owners revoke a live grant directly (cause "admin"); auditors never. */
export function canRevokeGrant(actor: Actor, grant: { status: string; applicationOwnerIds: readonly string[] }): Refusal {
  if (!mayChangeAnything(actor)) return refuse("Auditors cannot revoke access.");
  if (grant.status !== "active") return refuse("This grant is not active.");
  if (!isAdmin(actor) && !grant.applicationOwnerIds.includes(actor.id)) return refuse("Only admins and the application's owners revoke access directly.");
  return allow;
}
