import { getIdentityForRequest, getStepForDecision, lockStuckSteps } from "@/db/queries/requests";
import type { Deps } from "@/lib/domain/deps";
import { notifyApprovers, routeAroundStep, stepCandidates } from "./chain";
import { stepOnArrival } from "./policy";

const BATCH = 100;

/**
 * Approvers who left: a waiting step whose people were made leavers or suspended (by SCIM, an
 * import or an admin), lost their ownership, or are ruled out by the two-person rule, is routed
 * to the next rung of the fallback ladder instead of waiting silently until the request
 * expires. Runs from the access sweep job, so every way a person can leave is covered within a
 * minute; batches are locked with SKIP LOCKED (and keyset-paged within a run, so a step with
 * nowhere left to go is looked at once per run, not forever).
 */
export async function rerouteStuckSteps(deps: Deps, budget: { deadline: number } = { deadline: Infinity }): Promise<number> {
  let total = 0;
  let after: string | null = null;
  for (;;) {
    const at = deps.now();
    const batch: { seen: number; routed: number; last: string | null } = await deps.db.transaction(async (tx) => {
      const stuck = await lockStuckSteps(tx, { at, afterStepId: after, limit: BATCH });
      let routed = 0;
      for (const row of stuck) {
        const found = await getStepForDecision(tx, { stepId: row.step_id });
        if (!found) continue;
        const { step, request, entitlement, earlierApproverIds } = found;
        // The SQL found it; the same rules a decision uses confirm it before anything moves.
        if (stepOnArrival(entitlement, { candidates: await stepCandidates(tx, step), earlierApproverIds }) !== "nobody") continue;
        const moved = await routeAroundStep(tx, { step, request, entitlement, earlierApproverIds, at });
        if (!moved) continue;
        const [requester, beneficiary] = await Promise.all([getIdentityForRequest(tx, { identityId: request.requesterId }), getIdentityForRequest(tx, { identityId: request.beneficiaryId })]);
        await notifyApprovers(tx, {
          request: { ...request, requesterName: requester?.displayName ?? "Someone", beneficiaryName: beneficiary?.displayName ?? "someone" },
          entitlement,
          step,
          recipientIds: moved.candidates,
          note: moved.reason,
          dedupeKey: `request.step_routed:${step.id}:${at.toISOString()}`,
          at,
        });
        routed += 1;
      }
      return { seen: stuck.length, routed, last: stuck.at(-1)?.step_id ?? null };
    });
    total += batch.routed;
    after = batch.last;
    if (batch.seen < BATCH || performance.now() >= budget.deadline) return total;
  }
}
