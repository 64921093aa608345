import type { Executor } from "@/db/client";
import { getActiveOwners, getManagerLine, nextWaitingStep, updateStep } from "@/db/queries/requests";
import type { approvalSteps } from "@/db/schema";
import { notify } from "@/lib/domain/notifications/notify";
import { stepOnArrival, type ApproverRule, type ChainFacts, type EntitlementPolicy } from "./policy";

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

/** The people the chain may ask, read from the data now (managers and owners change). */
export async function loadChainFacts(tx: Executor, request: Omit<ChainRequest, "id">, entitlement: ChainEntitlement): Promise<ChainFacts> {
  const [line, owners] = await Promise.all([
    getManagerLine(tx, { identityId: request.beneficiaryId }),
    getActiveOwners(tx, { applicationId: entitlement.applicationId, entitlementOwnerId: entitlement.ownerId }),
  ]);
  return {
    requesterId: request.requesterId,
    beneficiaryId: request.beneficiaryId,
    managerLine: line.filter((p) => p.status === "active" && p.kind === "human").map((p) => p.id),
    appOwnerIds: owners.appOwnerIds,
    entitlementOwnerId: owners.entitlementOwnerId,
  };
}

/**
 * Who may decide a step: its named approver, or, for an owner step, the current active owners.
 * Never the requester or the beneficiary.
 */
export async function stepCandidates(tx: Executor, step: { rule: ApproverRule; approverId: string | null }, request: ChainRequest, entitlement: ChainEntitlement): Promise<string[]> {
  const self = new Set([request.requesterId, request.beneficiaryId]);
  let ids: string[];
  if (step.approverId) ids = [step.approverId];
  else if (step.rule === "app_owner" || step.rule === "entitlement_owner") {
    const owners = await getActiveOwners(tx, { applicationId: entitlement.applicationId, entitlementOwnerId: entitlement.ownerId });
    ids = step.rule === "app_owner" ? owners.appOwnerIds : owners.entitlementOwnerId ? [owners.entitlementOwnerId] : [];
  } else ids = [];
  return ids.filter((id) => !self.has(id));
}

/**
 * Moves the chain past `afterPosition`: the next waiting step becomes pending and its approvers
 * are told, unless everyone who could decide it has approved already (then it is passed, with
 * the reason recorded). Returns the step now pending, or null when the chain is complete.
 */
export async function advanceChain(
  tx: Executor,
  args: { request: ChainRequest & { requesterName: string; beneficiaryName: string }; entitlement: ChainEntitlement; afterPosition: number; approverIds: string[]; at: Date },
): Promise<Step | null> {
  let position = args.afterPosition;
  for (;;) {
    const next = await nextWaitingStep(tx, { requestId: args.request.id, afterPosition: position });
    if (!next) return null;
    const candidates = await stepCandidates(tx, next, args.request, args.entitlement);
    if (stepOnArrival(args.entitlement, { candidates, earlierApproverIds: args.approverIds }) === "satisfied") {
      await updateStep(tx, { stepId: next.id, values: { status: "skipped", comment: "Everyone who could approve this step already approved an earlier one." } });
      position = next.position;
      continue;
    }
    await updateStep(tx, { stepId: next.id, values: { status: "pending" } });
    const { request, entitlement } = args;
    const forWhom = request.beneficiaryId === request.requesterId ? "" : ` for ${request.beneficiaryName}`;
    await notify(tx, {
      recipientIds: candidates.filter((id) => !args.approverIds.includes(id) || !entitlement.privileged || !entitlement.twoPersonRule),
      kind: "request.approval_needed",
      subject: `Approval needed: ${request.requesterName} requests ${entitlement.name} (${entitlement.applicationName})${forWhom}`,
      body: `Step ${next.position} of the request waits for you.`,
      link: `/approvals?request=${request.id}`,
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
