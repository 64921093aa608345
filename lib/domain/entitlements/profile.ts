import { z } from "zod";
import { getEntitlementProfile, listNamedApprovers } from "@/db/queries/entitlements";
import { NotFound } from "@/lib/errors";
import type { Actor } from "@/lib/domain/access/actor";
import { canManageEntitlement, mayChangeAnything } from "@/lib/domain/access/rules";
import type { Deps } from "@/lib/domain/deps";

/**
 * An entitlement as the catalogue shows it to every signed-in person (what it allows, its policy
 * and named approvers, who owns it, how many hold it): the list of holders stays scoped on the application page.
 */
export async function entitlementProfile(deps: Deps, actor: Actor, entitlementId: string) {
  if (!z.uuid().safeParse(entitlementId).success) throw new NotFound("That entitlement");
  const [profile, namedApprovers] = await Promise.all([getEntitlementProfile(deps.db, { entitlementId }), listNamedApprovers(deps.db, { entitlementId })]);
  if (!profile) throw new NotFound("That entitlement");
  return { ...profile, namedApprovers, canManage: canManageEntitlement(actor, profile), canRequest: mayChangeAnything(actor) };
}
