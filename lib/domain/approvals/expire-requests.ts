import { closeOpenSteps, getEntitlementPolicy, lockDueRequests, updateRequest } from "@/db/queries/requests";
import { SYSTEM_ACTOR } from "@/lib/domain/access/actor";
import { recordAudit } from "@/lib/domain/audit/record-audit";
import type { Deps } from "@/lib/domain/deps";
import { notifyOutcome } from "./chain";

const BATCH = 200;

/**
 * Requests nobody decided in time lapse: the request and its open steps say "expired" (history
 * is kept, never deleted), and the requester is told. Runs from the access sweep job; batches
 * are locked with SKIP LOCKED, so two instances running it at once share the work.
 */
export async function expireDueRequests(deps: Deps, budget: { deadline: number } = { deadline: Infinity }): Promise<number> {
  let total = 0;
  for (;;) {
    const at = deps.now();
    const count = await deps.db.transaction(async (tx) => {
      const due = await lockDueRequests(tx, { at, limit: BATCH });
      for (const request of due) {
        await updateRequest(tx, { requestId: request.id, values: { status: "expired", decidedAt: at } });
        await closeOpenSteps(tx, { requestId: request.id, status: "expired", comment: "Nobody decided before the request expired." });
        const entitlement = await getEntitlementPolicy(tx, { entitlementId: request.entitlementId });
        await notifyOutcome(tx, { request, entitlementName: entitlement?.name ?? "access", outcome: "expired", at });
        await recordAudit(tx, {
          actor: SYSTEM_ACTOR,
          action: "request.expired",
          entityType: "access_request",
          entityId: request.id,
          before: { status: "pending", expiresAt: request.expiresAt.toISOString() },
          after: { status: "expired" },
          at,
        });
      }
      return due.length;
    });
    total += count;
    if (count < BATCH || performance.now() >= budget.deadline) return total;
  }
}
