import { z } from "zod";
import { findActivePersonByEmail } from "@/db/queries/campaigns";
import { getEntitlementManagers } from "@/db/queries/entitlements";
import { Forbidden, Invalid, NotFound } from "@/lib/errors";
import type { Actor } from "@/lib/domain/access/actor";
import { canManageEntitlement } from "@/lib/domain/access/rules";
import type { Deps } from "@/lib/domain/deps";

export const lookUpApproverInput = z.object({ entitlementId: z.uuid(), email: z.email("Enter an email address.").max(320) });

/**
 * Whoever may change an entitlement's policy names its approvers by email, as the campaign form
 * names reviewers: an exact address answers with that active person, and nobody can browse the
 * directory through it.
 */
export async function lookUpNamedApprover(deps: Deps, actor: Actor, input: z.infer<typeof lookUpApproverInput>) {
  const entitlement = await getEntitlementManagers(deps.db, { entitlementId: input.entitlementId });
  if (!entitlement) throw new NotFound("That entitlement");
  if (!canManageEntitlement(actor, entitlement)) throw new Forbidden("Only the application's owners, the entitlement's owner or an admin can name its approvers.");
  const person = await findActivePersonByEmail(deps.db, { email: input.email });
  if (!person) throw new Invalid("No active person has that email address.", { email: ["No active person has that email address."] });
  return person;
}
