import type { Executor } from "@/db/client";
import { getActiveAdmins, getActiveNamedApprovers, getActiveOwners, getIdentityForRequest, getManagerLine, listStepDeciders, nextWaitingStep, updateStep } from "@/db/queries/requests";
import type { approvalSteps } from "@/db/schema";
import { SYSTEM_ACTOR } from "@/lib/domain/access/actor";
import { recordAudit } from "@/lib/domain/audit/record-audit";
import { notify } from "@/lib/domain/notifications/notify";
import { fallbackRoute } from "./fallback-route";
import { stepOnArrival, type ChainFacts, type EntitlementPolicy } from "./policy";

type Step = typeof approvalSteps.$inferSelect;

export interface ChainEntitlement extends EntitlementPolicy {
  id: string;
  name: string;
  applicationId: string;
  applicationName: string;
  ownerId: string | null;
}

export interface ChainRequest {
  id: string;
  requesterId: string;
  beneficiaryId: string;
}

type NamedRequest = ChainRequest & { requesterName: string; beneficiaryName: string };

/** The people the chain may ask, read from the data now (managers and owners change). */
export async function loadChainFacts(tx: Executor, request: Omit<ChainRequest, "id">, entitlement: ChainEntitlement): Promise<ChainFacts> {
  const [line, owners, named] = await Promise.all([
    getManagerLine(tx, { identityId: request.beneficiaryId }),
    getActiveOwners(tx, { applicationId: entitlement.applicationId, entitlementOwnerId: entitlement.ownerId }),
    getActiveNamedApprovers(tx, { entitlementId: entitlement.id }),
  ]);
  return {
    requesterId: request.requesterId,
    beneficiaryId: request.beneficiaryId,
    managerLine: line.filter((p) => p.status === "active" && p.kind === "human").map((p) => p.id),
    appOwnerIds: owners.appOwnerIds,
    entitlementOwnerId: owners.entitlementOwnerId,
    namedApproverIds: named,
  };
}

/**
 * Who may decide a step now: the active person it names, or the active members of the group its
 * rule (or its re-routing) names. Never the requester or the beneficiary. The same SQL feeds the
 * approvals queue, so the page and the queue cannot disagree.
 */
export async function stepCandidates(tx: Executor, step: { id: string }): Promise<string[]> {
  return listStepDeciders(tx, { stepId: step.id });
}

const excludedFrom = (request: ChainRequest, entitlement: Pick<EntitlementPolicy, "privileged" | "twoPersonRule">, earlierApproverIds: readonly string[]) => [
  request.requesterId,
  request.beneficiaryId,
  ...(entitlement.privileged && entitlement.twoPersonRule ? earlierApproverIds : []),
];

/**
 * A step nobody may decide any more goes to the next rung of the fallback ladder
 * (fallbackRoute): the step records where and why, and the audit trail says so. Returns the
 * people now asked, or null when there is nobody left to route it to.
 */
export async function routeAroundStep(
  tx: Executor,
  args: { step: Step; request: ChainRequest; entitlement: ChainEntitlement; earlierApproverIds: readonly string[]; at: Date },
): Promise<{ candidates: string[]; reason: string } | null> {
  const { step, request, entitlement } = args;
  const climbs = step.rule === "manager" && step.routedTo === null;
  const [line, owners, adminIds, approver] = await Promise.all([
    climbs ? getManagerLine(tx, { identityId: request.beneficiaryId }) : Promise.resolve([]),
    getActiveOwners(tx, { applicationId: entitlement.applicationId, entitlementOwnerId: null }),
    getActiveAdmins(tx),
    step.approverId ? getIdentityForRequest(tx, { identityId: step.approverId }) : Promise.resolve(null),
  ]);
  const route = fallbackRoute({
    rule: step.rule,
    routedTo: step.routedTo,
    approver: approver ? { id: approver.id, name: approver.displayName, status: approver.status } : null,
    managerLine: line.filter((p) => p.status === "active" && p.kind === "human").map((p) => ({ id: p.id, name: p.displayName })),
    appOwnerIds: owners.appOwnerIds,
    adminIds,
    excludedIds: excludedFrom(request, entitlement, args.earlierApproverIds),
  });
  if (!route) return null;
  await updateStep(tx, { stepId: step.id, values: { approverId: route.approverId, routedTo: route.routedTo, routedReason: route.reason, routedAt: args.at } });
  await recordAudit(tx, {
    actor: SYSTEM_ACTOR,
    action: "request.step_rerouted",
    entityType: "access_request",
    entityId: request.id,
    before: { step: step.position, rule: step.rule, approverId: step.approverId, routedTo: step.routedTo },
    after: { step: step.position, rule: step.rule, approverId: route.approverId, routedTo: route.routedTo, candidates: route.candidates },
    reason: route.reason,
    at: args.at,
  });
  return { candidates: route.candidates, reason: route.reason };
}

/** Tells the people who may decide a step that it waits for them. */
export async function notifyApprovers(
  tx: Executor,
  args: { request: NamedRequest; entitlement: ChainEntitlement; step: Pick<Step, "id" | "position">; recipientIds: readonly string[]; note?: string; dedupeKey: string; at: Date },
) {
  const { request, entitlement } = args;
  const forWhom = request.beneficiaryId === request.requesterId ? "" : ` for ${request.beneficiaryName}`;
  await notify(tx, {
    recipientIds: args.recipientIds,
    kind: "request.approval_needed",
    subject: `Approval needed: ${request.requesterName} requests ${entitlement.name} (${entitlement.applicationName})${forWhom}`,
    body: `Step ${args.step.position} of the request waits for you.${args.note ? ` ${args.note}` : ""}`,
    link: `/approvals?request=${request.id}`,
    dedupeKey: args.dedupeKey,
    at: args.at,
  });
}

/**
 * Moves the chain past `afterPosition`: the next waiting step becomes pending and its approvers
 * are told, unless everyone who could decide it has approved already (then it is passed, with
 * the reason recorded). A step nobody may decide any more (its people left) is routed around
 * on arrival rather than left to wait until the request expires. Returns the step now pending,
 * or null when the chain is complete.
 */
export async function advanceChain(tx: Executor, args: { request: NamedRequest; entitlement: ChainEntitlement; afterPosition: number; approverIds: string[]; at: Date }): Promise<Step | null> {
  let position = args.afterPosition;
  for (;;) {
    const next = await nextWaitingStep(tx, { requestId: args.request.id, afterPosition: position });
    if (!next) return null;
    let candidates = await stepCandidates(tx, next);
    const arrival = stepOnArrival(args.entitlement, { candidates, earlierApproverIds: args.approverIds });
    if (arrival === "satisfied") {
      await updateStep(tx, { stepId: next.id, values: { status: "skipped", comment: "Everyone who could approve this step already approved an earlier one." } });
      position = next.position;
      continue;
    }
    let note: string | undefined;
    if (arrival === "nobody") {
      const routed = await routeAroundStep(tx, { step: next, request: args.request, entitlement: args.entitlement, earlierApproverIds: args.approverIds, at: args.at });
      if (routed) ({ candidates, reason: note } = routed);
    }
    await updateStep(tx, { stepId: next.id, values: { status: "pending" } });
    const { entitlement } = args;
    await notifyApprovers(tx, {
      request: args.request,
      entitlement,
      step: next,
      recipientIds: candidates.filter((id) => !args.approverIds.includes(id) || !entitlement.privileged || !entitlement.twoPersonRule),
      note,
      dedupeKey: `request.step:${next.id}`,
      at: args.at,
    });
    return { ...next, status: "pending" };
  }
}

/** Tells the requester (and the beneficiary, when someone else asked) how their request ended. */
export async function notifyOutcome(tx: Executor, args: { request: ChainRequest; entitlementName: string; outcome: "fulfilled" | "denied" | "expired"; comment?: string | null; at: Date }) {
  const verb = { fulfilled: "was approved", denied: "was denied", expired: "expired before anyone decided it" }[args.outcome];
  await notify(tx, {
    recipientIds: [args.request.requesterId, args.request.beneficiaryId],
    kind: `request.${args.outcome}`,
    subject: `Your request for ${args.entitlementName} ${verb}`,
    body: args.comment ?? "",
    link: `/requests/${args.request.id}`,
    dedupeKey: `request.${args.outcome}:${args.request.id}`,
    at: args.at,
  });
}
