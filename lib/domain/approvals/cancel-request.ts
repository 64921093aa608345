import { z } from "zod";
import { closeOpenSteps, getRequestForUpdate, updateRequest } from "@/db/queries/requests";
import { Forbidden, Invalid, NotFound } from "@/lib/errors";
import { auditActor, type Actor } from "@/lib/domain/access/actor";
import { mayChangeAnything } from "@/lib/domain/access/rules";
import { recordAudit } from "@/lib/domain/audit/record-audit";
import type { Deps } from "@/lib/domain/deps";

export const cancelRequestInput = z.object({ requestId: z.uuid() });

/** The requester withdraws a request nobody has finished deciding; the history stays. */
export async function cancelAccessRequest(deps: Deps, actor: Actor, input: z.infer<typeof cancelRequestInput>) {
  return deps.db.transaction(async (tx) => {
    const request = await getRequestForUpdate(tx, { requestId: input.requestId });
    // Someone else's request is "not found", as everywhere else.
    if (!request || (request.requesterId !== actor.id && request.beneficiaryId !== actor.id)) throw new NotFound("That request");
    if (!mayChangeAnything(actor)) throw new Forbidden("Auditors cannot change requests.");
    if (request.status !== "pending") throw new Invalid("Only a request still waiting for approval can be withdrawn.");
    const at = deps.now();
    await updateRequest(tx, { requestId: request.id, values: { status: "cancelled", decidedAt: at } });
    await closeOpenSteps(tx, { requestId: request.id, status: "skipped", comment: "Not decided: the request was withdrawn." });
    await recordAudit(tx, {
      actor: auditActor(actor),
      action: "request.cancelled",
      entityType: "access_request",
      entityId: request.id,
      before: { status: "pending" },
      after: { status: "cancelled" },
      at,
    });
    return { requestId: request.id };
  });
}
