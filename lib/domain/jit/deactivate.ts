import { z } from "zod";
import { endActivation, getActivationForEnd } from "@/db/queries/activations";
import { Forbidden, Invalid, NotFound } from "@/lib/errors";
import { auditActor, type Actor } from "@/lib/domain/access/actor";
import { canEndActivation } from "@/lib/domain/access/rules";
import { recordAudit } from "@/lib/domain/audit/record-audit";
import type { Deps } from "@/lib/domain/deps";

const blank = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

export const deactivateInput = z.object({
  activationId: z.uuid(),
  reason: z.preprocess(blank, z.string().trim().max(1000).optional()),
});

/** Ends a JIT window before its planned end: the privilege stops being live now. */
export async function deactivateActivation(deps: Deps, actor: Actor, input: z.infer<typeof deactivateInput>) {
  return deps.db.transaction(async (tx) => {
    const found = await getActivationForEnd(tx, { activationId: input.activationId });
    if (!found) throw new NotFound("That activation");
    const rule = canEndActivation(actor, { ...found.holder, applicationOwnerIds: found.applicationOwnerIds, entitlementOwnerId: found.entitlementOwnerId });
    if (!rule.allowed) throw new Forbidden(rule.reason);
    const at = deps.now();
    const { activation } = found;
    if (activation.status !== "active" || activation.endsAt <= at) throw new Invalid("This window has already ended.");
    await endActivation(tx, { activationId: activation.id, status: "ended", endedAt: at });
    await recordAudit(tx, {
      actor: auditActor(actor),
      action: "activation.ended",
      entityType: "grant",
      entityId: activation.grantId,
      before: { activationId: activation.id, status: "active", endsAt: activation.endsAt.toISOString() },
      after: { activationId: activation.id, status: "ended", endedAt: at.toISOString() },
      reason: input.reason ?? null,
      at,
    });
    return { activationId: activation.id, grantId: activation.grantId };
  });
}
