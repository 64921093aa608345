import { z } from "zod";
import { closeOpenSteps, getIdentityForRequest, getStepForDecision, insertGrant, listApprovers, shortestApprovedDuration, updateRequest, updateStep } from "@/db/queries/requests";
import { Forbidden, Invalid, NotFound } from "@/lib/errors";
import { auditActor, type Actor } from "@/lib/domain/access/actor";
import { canDecideApprovalStep } from "@/lib/domain/access/rules";
import { recordAudit } from "@/lib/domain/audit/record-audit";
import type { Deps } from "@/lib/domain/deps";
import { conflictOnUnique } from "@/lib/domain/unique-violation";
import { advanceChain, notifyOutcome, stepCandidates } from "./chain";
import { MAX_GRANT_MINUTES, MINUTE_MS } from "./policy";

const blank = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

export const decideStepInput = z
  .object({
    stepId: z.uuid(),
    decision: z.enum(["approve", "deny"], { error: "Choose approve or deny." }),
    comment: z.preprocess(blank, z.string().trim().max(1000).optional()),
    /** "Approve shorter": the duration this approver allows, in minutes. */
    durationMinutes: z.preprocess(blank, z.coerce.number().int().positive().max(MAX_GRANT_MINUTES).optional()),
  })
  .refine((v) => v.decision !== "deny" || (v.comment?.length ?? 0) >= 3, { path: ["comment"], message: "A reason is required to deny." });

export type DecideStepInput = z.output<typeof decideStepInput>;

/**
 * One approver decides one step. A denial ends the request; an approval moves the chain on (a
 * step whose every approver already approved is passed); the last approval fulfils the request
 * with a grant whose duration is the shortest any approver allowed.
 */
export async function decideApprovalStep(deps: Deps, actor: Actor, input: DecideStepInput) {
  return conflictOnUnique(() => decideInTransaction(deps, actor, input), {
    grants_one_live_per_kind: "The beneficiary already holds this access (granted some other way since the request was made).",
  });
}

async function decideInTransaction(deps: Deps, actor: Actor, input: DecideStepInput) {
  return deps.db.transaction(async (tx) => {
    const found = await getStepForDecision(tx, { stepId: input.stepId });
    if (!found) throw new NotFound("That approval step");
    const { step, request, entitlement, earlierApproverIds } = found;
    const candidates = await stepCandidates(tx, step);
    const rule = canDecideApprovalStep(actor, {
      approverIds: candidates,
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
    if (input.durationMinutes !== undefined) {
      if (request.kind === "standing") throw new Invalid("Standing access has no duration to shorten.", { durationMinutes: ["Standing access has no end date."] });
      if (request.durationMinutes !== null && input.durationMinutes > request.durationMinutes) {
        throw new Invalid("You can approve a shorter duration, not a longer one.", { durationMinutes: ["Must not exceed the requested duration."] });
      }
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

    const [requester, beneficiary] = await Promise.all([getIdentityForRequest(tx, { identityId: request.requesterId }), getIdentityForRequest(tx, { identityId: request.beneficiaryId })]);
    const names = { requesterName: requester?.displayName ?? "Someone", beneficiaryName: beneficiary?.displayName ?? "someone" };
    let outcome: "denied" | "next_step" | "fulfilled";
    let grantId: string | null = null;
    if (!approved) {
      await updateRequest(tx, { requestId: request.id, values: { status: "denied", decidedAt: at } });
      await closeOpenSteps(tx, { requestId: request.id, status: "skipped", comment: "Not reached: an earlier step denied the request." });
      await notifyOutcome(tx, { request, entitlementName: entitlement.name, outcome: "denied", comment: input.comment, at });
      outcome = "denied";
    } else {
      const approverIds = await listApprovers(tx, { requestId: request.id });
      const next = await advanceChain(tx, { request: { ...request, ...names }, entitlement, afterPosition: step.position, approverIds, at });
      if (next) outcome = "next_step";
      else {
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
          // Time-bound access ends; eligibility may end too when the request (or an approver) said so.
          expiresAt: minutes ? new Date(startsAt.getTime() + minutes * MINUTE_MS) : null,
          createdAt: at,
          updatedAt: at,
        });
        grantId = grant.id;
        await updateRequest(tx, { requestId: request.id, values: { status: "fulfilled", decidedAt: at } });
        await notifyOutcome(tx, { request, entitlementName: entitlement.name, outcome: "fulfilled", comment: input.comment, at });
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
    return { outcome, grantId, requestId: request.id };
  });
}
