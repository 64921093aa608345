import { z } from "zod";
import { deleteSessionsOf, getIdentityStatus, insertLifecycleEvent, updateIdentityStatus } from "@/db/queries/identities";
import { Forbidden, NotFound } from "@/lib/errors";
import { auditActor, type Actor } from "@/lib/domain/access/actor";
import { canChangeIdentityStatus } from "@/lib/domain/access/rules";
import { recordAudit } from "@/lib/domain/audit/record-audit";
import type { Deps } from "@/lib/domain/deps";
import { publishEvent } from "@/lib/domain/webhooks/publish";

export const setIdentityStatusInput = z.object({
  identityId: z.uuid(),
  status: z.enum(["active", "suspended", "leaver"]),
  reason: z.string().trim().min(3, "Say why (at least 3 characters).").max(500),
});

const lifecycleKindFor = { active: "reactivation", suspended: "suspension", leaver: "leaver" } as const;

/**
 * Suspending or off-boarding someone also deletes their sign-in sessions in the same
 * transaction; the per-request actor check refuses them even if a session survived.
 */
export async function setIdentityStatus(deps: Deps, actor: Actor, input: z.infer<typeof setIdentityStatusInput>) {
  const rule = canChangeIdentityStatus(actor, input.identityId);
  if (!rule.allowed) throw new Forbidden(rule.reason);
  return deps.db.transaction(async (tx) => {
    const current = await getIdentityStatus(tx, { identityId: input.identityId });
    if (!current) throw new NotFound("That identity");
    if (current.status === input.status) return { changed: false, sessionsEnded: 0 };
    const at = deps.now();
    await updateIdentityStatus(tx, { identityId: input.identityId, status: input.status, at });
    await insertLifecycleEvent(tx, {
      identityId: input.identityId,
      kind: lifecycleKindFor[input.status],
      source: "admin",
      changes: { status: { from: current.status, to: input.status } },
      occurredAt: at,
    });
    const sessionsEnded = input.status === "active" ? 0 : await deleteSessionsOf(tx, { identityId: input.identityId });
    await recordAudit(tx, {
      actor: auditActor(actor),
      action: "identity.status_changed",
      entityType: "identity",
      entityId: input.identityId,
      before: { status: current.status },
      after: { status: input.status, sessionsEnded },
      reason: input.reason,
      at,
    });
    await publishEvent(deps, tx, { type: "identity.status_changed", data: { identityId: input.identityId, from: current.status, to: input.status }, at });
    return { changed: true, sessionsEnded };
  });
}
