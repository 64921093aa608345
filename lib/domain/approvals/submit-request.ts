import { z } from "zod";
import { findLiveGrant, findPendingRequest, getEntitlementPolicy, getIdentityForRequest, getManagerLine, insertRequest, insertSteps } from "@/db/queries/requests";
import { Conflict, Forbidden, Invalid, NotFound } from "@/lib/errors";
import { env } from "@/lib/env";
import { auditActor, type Actor } from "@/lib/domain/access/actor";
import { canRequestFor } from "@/lib/domain/access/rules";
import { recordAudit } from "@/lib/domain/audit/record-audit";
import type { Deps } from "@/lib/domain/deps";
import { conflictOnUnique } from "@/lib/domain/unique-violation";
import { advanceChain, loadChainFacts } from "./chain";
import { checkRequest, planChain, TICKET_FORMAT_MESSAGE, TICKET_PATTERN } from "./policy";

/** Empty form fields arrive as "": treat them as absent. */
const blank = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

export const submitRequestInput = z
  .object({
    entitlementId: z.uuid({ error: "Choose the entitlement you need." }),
    beneficiaryId: z.uuid({ error: "Choose who the access is for." }),
    kind: z.enum(["time_bound", "eligible", "standing"], { error: "Choose time-bound, just-in-time or standing." }),
    durationAmount: z.preprocess(blank, z.coerce.number({ error: "Enter a number." }).positive("Must be more than zero.").max(100_000).optional()),
    durationUnit: z.preprocess(blank, z.enum(["hours", "days"]).default("hours")),
    justification: z.string({ error: "Say why you need this access." }).trim().min(10, "Say why you need this access (at least 10 characters).").max(2000),
    ticket: z.preprocess(blank, z.string().trim().max(64).regex(TICKET_PATTERN, TICKET_FORMAT_MESSAGE).optional()),
  })
  .transform(({ durationAmount, durationUnit, ...rest }) => ({
    ...rest,
    ticket: rest.ticket ?? null,
    durationMinutes: durationAmount === undefined ? null : Math.round(durationAmount * (durationUnit === "days" ? 1440 : 60)),
  }));

export type SubmitRequestInput = z.output<typeof submitRequestInput>;

/**
 * Someone asks for access for themselves, a report or a non-human identity they own. The policy
 * is checked, the approval chain resolved to people (refused up front when nobody could approve
 * it), and the first approver is told. An undecided request lapses after
 * ACCORD_REQUEST_EXPIRY_HOURS.
 */
export async function submitAccessRequest(deps: Deps, actor: Actor, input: SubmitRequestInput): Promise<{ requestId: string }> {
  return conflictOnUnique(() => submitInTransaction(deps, actor, input), { access_requests_one_pending: "A request for the same access is already waiting for approval." });
}

async function submitInTransaction(deps: Deps, actor: Actor, input: SubmitRequestInput): Promise<{ requestId: string }> {
  return deps.db.transaction(async (tx) => {
    const entitlement = await getEntitlementPolicy(tx, { entitlementId: input.entitlementId });
    if (!entitlement) throw new NotFound("That entitlement");
    const beneficiary = await getIdentityForRequest(tx, { identityId: input.beneficiaryId });
    if (!beneficiary) throw new NotFound("That identity");
    const line = beneficiary.kind === "human" ? await getManagerLine(tx, { identityId: beneficiary.id }) : [];
    const rule = canRequestFor(actor, { ...beneficiary, managerChain: line.map((p) => p.id) });
    if (!rule.allowed) throw new Forbidden(rule.reason);

    const fieldErrors = checkRequest(entitlement, { kind: input.kind, durationMinutes: input.durationMinutes, ticket: input.ticket });
    if (Object.keys(fieldErrors).length > 0) throw new Invalid("The request does not fit this entitlement's policy.", fieldErrors);
    const who = beneficiary.id === actor.id ? "You already hold" : `${beneficiary.displayName} already holds`;
    if (await findLiveGrant(tx, { identityId: beneficiary.id, entitlementId: entitlement.id, kind: input.kind })) {
      throw new Conflict(`${who} this access as ${input.kind.replace("_", "-")}.`);
    }
    if (await findPendingRequest(tx, { beneficiaryId: beneficiary.id, entitlementId: entitlement.id, kind: input.kind })) {
      throw new Conflict("A request for the same access is already waiting for approval.");
    }

    const request = { requesterId: actor.id, beneficiaryId: beneficiary.id };
    const plan = planChain(entitlement, await loadChainFacts(tx, request, entitlement));
    if (!plan.ok) throw new Invalid(plan.reason);

    const at = deps.now();
    const expiresAt = new Date(at.getTime() + env().ACCORD_REQUEST_EXPIRY_HOURS * 3_600_000);
    const { id: requestId } = await insertRequest(tx, {
      ...request,
      entitlementId: entitlement.id,
      kind: input.kind,
      durationMinutes: input.durationMinutes,
      justification: input.justification,
      ticket: input.ticket,
      expiresAt,
      createdAt: at,
    });
    await insertSteps(
      tx,
      plan.steps.map((s, i) => ({
        requestId,
        position: i + 1,
        rule: s.rule,
        approverId: s.approverId,
        status: s.skipReason ? ("skipped" as const) : ("waiting" as const),
        comment: s.skipReason,
      })),
    );
    const pending = await advanceChain(tx, {
      request: { id: requestId, ...request, requesterName: actor.displayName, beneficiaryName: beneficiary.displayName },
      entitlement,
      afterPosition: 0,
      approverIds: [],
      at,
    });
    await recordAudit(tx, {
      actor: auditActor(actor),
      action: "request.submitted",
      entityType: "access_request",
      entityId: requestId,
      after: {
        beneficiaryId: beneficiary.id,
        entitlementId: entitlement.id,
        kind: input.kind,
        durationMinutes: input.durationMinutes,
        ticket: input.ticket,
        chain: plan.steps.map((s) => (s.skipReason ? `${s.rule} (skipped)` : s.rule)),
        firstStep: pending?.position ?? null,
        expiresAt: expiresAt.toISOString(),
      },
      reason: input.justification,
      at,
    });
    return { requestId };
  });
}
