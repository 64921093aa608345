import { z } from "zod";
import { getStepForDecision, insertGrant, nextWaitingStep, shortestApprovedDuration, updateRequest, updateStep } from "@/db/queries/requests";
import { Forbidden, Invalid, NotFound } from "@/lib/errors";
import { auditActor, type Actor } from "@/lib/domain/access/actor";
import { canDecideApprovalStep } from "@/lib/domain/access/rules";
import { recordAudit } from "@/lib/domain/audit/record-audit";
import type { Deps } from "@/lib/domain/deps";

export const decideStepInput = z
  .object({
    stepId: z.uuid(),
    decision: z.enum(["approve", "deny"]),
    comment: z.string().trim().max(1000).optional(),
    durationMinutes: z.coerce.number().int().positive().max(60 * 24 * 366).optional(),
  })
  .refine((v) => v.decision !== "deny" || (v.comment?.length ?? 0) >= 3, { path: ["comment"], message: "A reason is required to deny." });

const MINUTE = 60_000;

/**
 * One approver decides one step. The last approval fulfils the request with a grant whose
 * duration is the shortest any approver allowed; a denial ends the request.
 */
export async function decideApprovalStep(deps: Deps, actor: Actor, input: z.infer<typeof decideStepInput>) {
  return deps.db.transaction(async (tx) => {
    const found = await getStepForDecision(tx, { stepId: input.stepId });
    if (!found) throw new NotFound("That approval step");
    const { step, request, entitlement, earlierApproverIds } = found;
    const rule = canDecideApprovalStep(actor, {
      approverId: step.approverId,
      status: step.status,
      requesterId: request.requesterId,
      beneficiaryId: request.beneficiaryId,
      earlierApproverIds,
      privileged: entitlement.privileged,
      twoPersonRule: entitlement.twoPersonRule,
    });
    if (!rule.allowed) throw new Forbidden(rule.reason);
    const at = deps.now();
    if (request.status !== "pending" || request.expiresAt <= at) throw new Invalid("This request is no longer waiting for decisions.");
    if (input.durationMinutes && request.durationMinutes && input.durationMinutes > request.durationMinutes) {
      throw new Invalid("You can approve a shorter duration, not a longer one.", { durationMinutes: ["Must not exceed the requested duration."] });
    }

    const approved = input.decision === "approve";
    await updateStep(tx, {
      stepId: step.id,
      values: {
        status: approved ? "approved" : "denied",
        decidedById: actor.id,
        decidedAt: at,
        comment: input.comment ?? null,
        approvedDurationMinutes: approved ? (input.durationMinutes ?? request.durationMinutes) : null,
      },
    });

    let outcome: "denied" | "next_step" | "fulfilled";
    let grantId: string | null = null;
    if (!approved) {
      await updateRequest(tx, { requestId: request.id, values: { status: "denied", decidedAt: at } });
      outcome = "denied";
    } else {
      const next = await nextWaitingStep(tx, { requestId: request.id, afterPosition: step.position });
      if (next) {
        await updateStep(tx, { stepId: next.id, values: { status: "pending" } });
        outcome = "next_step";
      } else {
        const minutes = request.kind === "standing" ? null : await shortestApprovedDuration(tx, { requestId: request.id });
        const startsAt = request.startsAt && request.startsAt > at ? request.startsAt : at;
        const grant = await insertGrant(tx, {
          identityId: request.beneficiaryId,
          entitlementId: request.entitlementId,
          kind: request.kind,
          source: "request",
          requestId: request.id,
          requestedById: request.requesterId,
          approvedById: actor.id,
          approvedAt: at,
          justification: request.justification,
          ticket: request.ticket,
          grantedAt: startsAt,
          expiresAt: request.kind === "time_bound" && minutes ? new Date(startsAt.getTime() + minutes * MINUTE) : null,
        });
        grantId = grant.id;
        await updateRequest(tx, { requestId: request.id, values: { status: "fulfilled", decidedAt: at } });
        outcome = "fulfilled";
      }
    }

    await recordAudit(tx, {
      actor: auditActor(actor),
      action: approved ? "request.step_approved" : "request.step_denied",
      entityType: "access_request",
      entityId: request.id,
      before: { step: step.position, status: step.status },
      after: { step: step.position, outcome, grantId, durationMinutes: input.durationMinutes ?? null },
      reason: input.comment ?? null,
      at,
    });
    return { outcome, grantId };
  });
}
