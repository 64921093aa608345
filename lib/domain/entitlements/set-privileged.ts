import { z } from "zod";
import { getEntitlementForUpdate, updateEntitlementPrivileged } from "@/db/queries/applications";
import { Forbidden, NotFound } from "@/lib/errors";
import { auditActor, type Actor } from "@/lib/domain/access/actor";
import { canManageEntitlement } from "@/lib/domain/access/rules";
import { recordAudit } from "@/lib/domain/audit/record-audit";
import type { Deps } from "@/lib/domain/deps";

export const setEntitlementPrivilegedInput = z.object({
  entitlementId: z.uuid(),
  privileged: z.stringbool().or(z.boolean()),
});

/** Marking an entitlement privileged puts every grant of it into the standing-privilege metrics. */
export async function setEntitlementPrivileged(deps: Deps, actor: Actor, input: z.infer<typeof setEntitlementPrivilegedInput>) {
  return deps.db.transaction(async (tx) => {
    const entitlement = await getEntitlementForUpdate(tx, { entitlementId: input.entitlementId });
    if (!entitlement) throw new NotFound("That entitlement");
    if (!canManageEntitlement(actor, entitlement)) throw new Forbidden("Only the application's owners, the entitlement's owner or an admin can change this.");
    if (entitlement.privileged === input.privileged) return { changed: false };
    const at = deps.now();
    await updateEntitlementPrivileged(tx, { entitlementId: entitlement.id, privileged: input.privileged, at });
    await recordAudit(tx, {
      actor: auditActor(actor),
      action: "entitlement.privileged_changed",
      entityType: "entitlement",
      entityId: entitlement.id,
      before: { privileged: entitlement.privileged },
      after: { privileged: input.privileged },
      at,
    });
    return { changed: true, applicationId: entitlement.applicationId };
  });
}
