import { findOpenActivation, getGrantForActivation } from "@/db/queries/activations";
import { getNames } from "@/db/queries/request-views";
import type { Actor } from "@/lib/domain/access/actor";
import { canActivateGrant, canEndActivation } from "@/lib/domain/access/rules";
import { activationLimitMinutes, BREAK_GLASS_REVIEW_HOURS } from "@/lib/domain/approvals/policy";
import type { Deps } from "@/lib/domain/deps";
import { breakGlassRecipients } from "./break-glass-notice";

/**
 * What the grant page offers around JIT: the open window (with who may end it), and for the
 * holder of an eligible grant the activation form, its limits, and for break-glass who would be
 * paged. Call only after the grant's visibility was checked (getGrantStory).
 */
export async function activationPanel(deps: Deps, actor: Actor, grantId: string) {
  const found = await getGrantForActivation(deps.db, { grantId, lock: false });
  if (!found || found.grant.kind !== "eligible") return null;
  const { grant, holder, entitlement } = found;
  const at = deps.now();
  const open = await findOpenActivation(deps.db, { grantId });
  const live = grant.status === "active" && (!grant.expiresAt || grant.expiresAt > at);
  const activate = canActivateGrant(actor, holder);
  const canEnd = open ? canEndActivation(actor, { ...holder, applicationOwnerIds: found.applicationOwnerIds, entitlementOwnerId: entitlement.ownerId }).allowed : false;
  const paged =
    entitlement.breakGlass && activate.allowed
      ? await getNames(deps.db, { ids: await breakGlassRecipients(deps.db, { applicationOwnerIds: found.applicationOwnerIds, entitlementOwnerId: entitlement.ownerId, holder, actorId: actor.id }) })
      : new Map<string, string>();
  return {
    open: open && open.endsAt > at ? open : null,
    canEnd,
    /** Why the form is not offered, when it is not. */
    activation: !live
      ? { allowed: false as const, reason: "This grant has ended; it can no longer be activated." }
      : !activate.allowed
        ? { allowed: false as const, reason: `${activate.reason} Windows are opened by ${holder.holderName}${holder.holderKind === "non_human" ? "'s owner" : ""}.` }
        : open
          ? { allowed: false as const, reason: "A window is open; end it before opening another." }
          : { allowed: true as const },
    limitMinutes: Math.min(activationLimitMinutes(entitlement), grant.expiresAt ? Math.max(0, Math.floor((grant.expiresAt.getTime() - at.getTime()) / 60_000)) : Infinity),
    requiresTicket: entitlement.requiresTicket,
    breakGlass: entitlement.breakGlass,
    pagedNames: [...paged.values()],
    reviewHours: BREAK_GLASS_REVIEW_HOURS,
  };
}
