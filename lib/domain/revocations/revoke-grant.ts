import { z } from "zod";
import { getGrant, isGrantVisible } from "@/db/queries/grants";
import { listApplicationOwnerIds } from "@/db/queries/revocations";
import { Forbidden, NotFound } from "@/lib/errors";
import { auditActor, type Actor } from "@/lib/domain/access/actor";
import { canRevokeGrant } from "@/lib/domain/access/rules";
import { scopeOf } from "@/lib/domain/access/scope";
import type { Deps } from "@/lib/domain/deps";
import { requestRevocation } from "./request-revocation";

export const revokeGrantInput = z.object({
  grantId: z.uuid(),
  reason: z.string().trim().min(5, "Say why, e.g. the ticket or the incident.").max(1_000),
});

/** An admin or app owner removes a live grant now, through the pipeline (cause "admin"), with a reason. */
export async function revokeGrant(deps: Deps, actor: Actor, input: z.infer<typeof revokeGrantInput>) {
  if (!(await isGrantVisible(deps.db, { scope: await scopeOf(deps.db, actor), grantId: input.grantId }))) throw new NotFound("That grant");
  const grant = await getGrant(deps.db, { grantId: input.grantId });
  if (!grant) throw new NotFound("That grant");
  const verdict = canRevokeGrant(actor, { status: grant.grant.status, applicationOwnerIds: await listApplicationOwnerIds(deps.db, { applicationId: grant.application.id }) });
  if (!verdict.allowed) throw new Forbidden(verdict.reason);
  const at = deps.now();
  return deps.db.transaction((tx) =>
    requestRevocation(deps, tx, { grantId: input.grantId, cause: "admin", causeRef: `${actor.id}@${at.toISOString()}`, actor: auditActor(actor), reason: input.reason }),
  );
}
