import { z } from "zod";
import type { Executor } from "@/db/client";
import { getPolicyForUpdate, getProposedApprovers, replaceNamedApprovers, updatePolicy, type PolicyValues } from "@/db/queries/entitlements";
import { Forbidden, Invalid, NotFound } from "@/lib/errors";
import { auditActor, type Actor } from "@/lib/domain/access/actor";
import { canManageEntitlement } from "@/lib/domain/access/rules";
import { MAX_GRANT_MINUTES } from "@/lib/domain/approvals/policy";
import { recordAudit } from "@/lib/domain/audit/record-audit";
import type { Deps } from "@/lib/domain/deps";

const box = z.preprocess((v) => v === "on" || v === "true" || v === true, z.boolean());
const blank = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);
/** The person finder posts its choice as one comma-separated field. */
const idList = (v: unknown) =>
  typeof v === "string"
    ? [
        ...new Set(
          v
            .split(",")
            .map((id) => id.trim().toLowerCase())
            .filter(Boolean),
        ),
      ]
    : (v ?? []);
const isUuid = (id: string) => z.uuid().safeParse(id).success;

/** Checkboxes arrive one field each (a form posts a repeated name only once through defineAction). */
export const setPolicyInput = z
  .object({
    entitlementId: z.uuid(),
    kindTimeBound: box,
    kindEligible: box,
    kindStanding: box,
    maxDurationHours: z.preprocess(
      blank,
      z.coerce
        .number({ error: "Enter a number of hours." })
        .positive("Must be more than zero.")
        .max(MAX_GRANT_MINUTES / 60)
        .optional(),
    ),
    requiresTicket: box,
    chainManager: box,
    chainAppOwner: box,
    chainEntitlementOwner: box,
    chainNamed: box,
    namedApproverIds: z.preprocess(
      idList,
      z
        .array(z.string())
        .max(50, "Name at most 50 approvers.")
        .refine((ids) => ids.every(isUuid), "Choose each approver with the person finder."),
    ),
    twoPersonRule: box,
    breakGlass: box,
  })
  .superRefine((v, ctx) => {
    if (!v.kindTimeBound && !v.kindEligible && !v.kindStanding) ctx.addIssue({ code: "custom", path: ["allowedKinds"], message: "Allow at least one kind of access." });
    if (!v.chainManager && !v.chainAppOwner && !v.chainEntitlementOwner && !v.chainNamed) ctx.addIssue({ code: "custom", path: ["approvalChain"], message: "Choose at least one approver." });
    if (v.chainNamed && v.namedApproverIds.length === 0) ctx.addIssue({ code: "custom", path: ["namedApproverIds"], message: "Name at least one approver for the named-approver step." });
    if (v.breakGlass && !v.kindEligible) ctx.addIssue({ code: "custom", path: ["breakGlass"], message: "Break-glass access is held as eligible: allow just-in-time." });
  })
  .transform((v): { entitlementId: string; values: PolicyValues; namedApproverIds: string[] } => ({
    entitlementId: v.entitlementId,
    namedApproverIds: [...v.namedApproverIds].sort(),
    values: {
      allowedKinds: [...(v.kindTimeBound ? ["time_bound" as const] : []), ...(v.kindEligible ? ["eligible" as const] : []), ...(v.kindStanding ? ["standing" as const] : [])],
      maxDurationMinutes: v.maxDurationHours === undefined ? null : Math.round(v.maxDurationHours * 60),
      requiresTicket: v.requiresTicket,
      approvalChain: [
        ...(v.chainManager ? ["manager" as const] : []),
        ...(v.chainAppOwner ? ["app_owner" as const] : []),
        ...(v.chainEntitlementOwner ? ["entitlement_owner" as const] : []),
        ...(v.chainNamed ? ["named" as const] : []),
      ],
      twoPersonRule: v.twoPersonRule,
      breakGlass: v.breakGlass,
    },
  }));

/**
 * The entitlement's owner (or an app owner, or an admin) sets its request policy and its named
 * approvers, who must be active people. Requests already waiting keep the chain they were given;
 * new requests and activations follow the new policy. Audited with the policy before and after.
 */
export async function setEntitlementPolicy(deps: Deps, actor: Actor, input: z.output<typeof setPolicyInput>) {
  return deps.db.transaction(async (tx) => {
    const current = await getPolicyForUpdate(tx, { entitlementId: input.entitlementId });
    if (!current) throw new NotFound("That entitlement");
    if (!canManageEntitlement(actor, current)) throw new Forbidden("Only the application's owners, the entitlement's owner or an admin can change its policy.");
    await checkNamedApprovers(tx, input.namedApproverIds);
    const before = {
      allowedKinds: current.allowedKinds,
      maxDurationMinutes: current.maxDurationMinutes,
      requiresTicket: current.requiresTicket,
      approvalChain: current.approvalChain,
      twoPersonRule: current.twoPersonRule,
      breakGlass: current.breakGlass,
      namedApproverIds: current.namedApproverIds,
    };
    const after = { ...input.values, namedApproverIds: input.namedApproverIds };
    if (JSON.stringify(before) === JSON.stringify(after)) return { changed: false, entitlementId: current.id };
    const at = deps.now();
    await updatePolicy(tx, { entitlementId: current.id, values: input.values, at });
    await replaceNamedApprovers(tx, { entitlementId: current.id, identityIds: input.namedApproverIds, addedById: actor.id, at });
    await recordAudit(tx, { actor: auditActor(actor), action: "entitlement.policy_changed", entityType: "entitlement", entityId: current.id, before, after, at });
    return { changed: true, entitlementId: current.id };
  });
}

/** Named approvers decide requests, so each must be an active person (not a leaver, not a service account). */
async function checkNamedApprovers(tx: Executor, ids: string[]) {
  const people = new Map((await getProposedApprovers(tx, { ids })).map((p) => [p.id, p]));
  const problems = ids.flatMap((id) => {
    const p = people.get(id);
    if (!p) return ["One of the chosen approvers does not exist; choose them again with the person finder."];
    if (p.kind !== "human") return [`${p.name} is not a person: only people can approve.`];
    if (p.status !== "active") return [`${p.name} is ${p.status === "leaver" ? "a leaver" : "suspended"}: remove them or choose someone active.`];
    return [];
  });
  if (problems.length > 0) throw new Invalid("Named approvers must be active people.", { namedApproverIds: problems });
}
