import type { Actor } from "./actor";
import { isAdmin, mayAdminister, mayChangeAnything, type Refusal } from "./rules";

/** Who may act on drift findings, as pure functions (visibility itself is SQL: findingVisible). */

const allow: Refusal = { allowed: true };
const refuse = (reason: string): Refusal => ({ allowed: false, reason });

export const canRecomputeFindings = (actor: Actor) => mayAdminister(actor);

export interface FindingFacts {
  status: "open" | "accepted" | "resolved";
  ownerId: string | null;
  /** The identity the finding is about, if any. */
  identityId: string | null;
}

/** Accepting a risk until a date: admins and the finding's owner, never about their own access. */
export function canAcceptFinding(actor: Actor, finding: FindingFacts): Refusal {
  if (!mayChangeAnything(actor)) return refuse("Auditors cannot accept findings.");
  if (!isAdmin(actor) && finding.ownerId !== actor.id) return refuse("Only an admin or the finding's owner can accept it as an exception.");
  if (finding.identityId === actor.id) return refuse("Nobody may accept a risk on their own access.");
  if (finding.status === "resolved") return refuse("This finding is resolved; there is nothing to accept.");
  return allow;
}

export interface FindingGrantFacts {
  identityId: string;
  applicationOwnerIds: readonly string[];
  entitlementOwnerId: string | null;
}

/**
 * Revoking a grant, or opening a review of it, from a finding: admins, the finding's owner, and
 * the owners of the grant's application or entitlement; never on one's own access.
 */
export function canActOnFindingGrant(actor: Actor, finding: FindingFacts, grant: FindingGrantFacts): Refusal {
  if (!mayChangeAnything(actor)) return refuse("Auditors cannot revoke access or open reviews.");
  if (grant.identityId === actor.id) return refuse("Nobody may decide on their own access.");
  const ownsIt = finding.ownerId === actor.id || grant.applicationOwnerIds.includes(actor.id) || grant.entitlementOwnerId === actor.id;
  if (!isAdmin(actor) && !ownsIt) return refuse("Only an admin, the finding's owner or the application's owner can act on this access.");
  if (finding.status === "resolved") return refuse("This finding is resolved.");
  return allow;
}
