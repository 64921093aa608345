import { z } from "zod";
import { getPolicyForUpdate, updatePolicy, type PolicyValues } from "@/db/queries/entitlements";
import { Forbidden, NotFound } from "@/lib/errors";
import { auditActor, type Actor } from "@/lib/domain/access/actor";
import { canManageEntitlement } from "@/lib/domain/access/rules";
import { MAX_GRANT_MINUTES } from "@/lib/domain/approvals/policy";
import { recordAudit } from "@/lib/domain/audit/record-audit";
import type { Deps } from "@/lib/domain/deps";

const box = z.preprocess((v) => v === "on" || v === "true" || v === true, z.boolean());
const blank = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

/** Checkboxes arrive one field each (a form posts a repeated name only once through defineAction). */
export const setPolicyInput = z
  .object({
    entitlementId: z.uuid(),
    kindTimeBound: box,
    kindEligible: box,
    kindStanding: box,
    maxDurationHours: z.preprocess(blank, z.coerce.number({ error: "Enter a number of hours." }).positive("Must be more than zero.").max(MAX_GRANT_MINUTES / 60).optional()),
    requiresTicket: box,
    chainManager: box,
    chainAppOwner: box,
    chainEntitlementOwner: box,
    twoPersonRule: box,
    breakGlass: box,
  })
  .superRefine((v, ctx) => {
    if (!v.kindTimeBound && !v.kindEligible && !v.kindStanding) ctx.addIssue({ code: "custom", path: ["allowedKinds"], message: "Allow at least one kind of access." });
    if (!v.chainManager && !v.chainAppOwner && !v.chainEntitlementOwner) ctx.addIssue({ code: "custom", path: ["approvalChain"], message: "Choose at least one approver." });
    if (v.breakGlass && !v.kindEligible) ctx.addIssue({ code: "custom", path: ["breakGlass"], message: "Break-glass access is held as eligible: allow just-in-time." });
  })
  .transform((v): { entitlementId: string; values: PolicyValues } => ({
    entitlementId: v.entitlementId,
    values: {
      allowedKinds: [...(v.kindTimeBound ? ["time_bound" as const] : []), ...(v.kindEligible ? ["eligible" as const] : []), ...(v.kindStanding ? ["standing" as const] : [])],
      maxDurationMinutes: v.maxDurationHours === undefined ? null : Math.round(v.maxDurationHours * 60),
      requiresTicket: v.requiresTicket,
      approvalChain: [...(v.chainManager ? ["manager" as const] : []), ...(v.chainAppOwner ? ["app_owner" as const] : []), ...(v.chainEntitlementOwner ? ["entitlement_owner" as const] : [])],
      twoPersonRule: v.twoPersonRule,
      breakGlass: v.breakGlass,
    },
  }));

/**
 * The entitlement's owner (or an app owner, or an admin) sets its request policy. Requests
 * already waiting keep the chain they were given; new requests and activations follow the new
 * policy. Audited with the policy before and after.
 */
export async function setEntitlementPolicy(deps: Deps, actor: Actor, input: z.output<typeof setPolicyInput>) {
  return deps.db.transaction(async (tx) => {
    const current = await getPolicyForUpdate(tx, { entitlementId: input.entitlementId });
    if (!current) throw new NotFound("That entitlement");
    if (!canManageEntitlement(actor, current)) throw new Forbidden("Only the application's owners, the entitlement's owner or an admin can change its policy.");
    const before: PolicyValues = {
      allowedKinds: current.allowedKinds,
      maxDurationMinutes: current.maxDurationMinutes,
      requiresTicket: current.requiresTicket,
      approvalChain: current.approvalChain,
      twoPersonRule: current.twoPersonRule,
      breakGlass: current.breakGlass,
    };
    if (JSON.stringify(before) === JSON.stringify(input.values)) return { changed: false, entitlementId: current.id };
    const at = deps.now();
    await updatePolicy(tx, { entitlementId: current.id, values: input.values, at });
    await recordAudit(tx, { actor: auditActor(actor), action: "entitlement.policy_changed", entityType: "entitlement", entityId: current.id, before, after: input.values, at });
    return { changed: true, entitlementId: current.id };
  });
}
