import { z } from "zod";
import { getEntitlementPolicy, getIdentityForRequest } from "@/db/queries/requests";
import { countDecidable, getApprovalEvidence, getNames, getRequestDetail, listRequestableBeneficiaries, listRequests, searchEntitlements } from "@/db/queries/request-views";
import { NotFound } from "@/lib/errors";
import { env } from "@/lib/env";
import type { Actor } from "@/lib/domain/access/actor";
import { canDecideApprovalStep, mayChangeAnything } from "@/lib/domain/access/rules";
import { scopeOf } from "@/lib/domain/access/scope";
import type { Deps } from "@/lib/domain/deps";
import { loadChainFacts, stepCandidates } from "./chain";
import { planChain, requestableKinds } from "./policy";

const uuid = z.uuid().optional().catch(undefined);
const cursor = z.string().max(500).optional().catch(undefined);

export const myRequestsQuery = z.object({ cursor });
export const approvalsQuery = z.object({ tab: z.enum(["needs", "decided", "all"]).default("needs").catch("needs"), request: uuid, cursor });
export const requestFormQuery = z.object({ q: z.string().trim().max(100).optional().catch(undefined), entitlementId: uuid, cursor });

export async function myRequests(deps: Deps, actor: Actor, query: z.infer<typeof myRequestsQuery>) {
  return listRequests(deps.db, { mode: "mine", actorId: actor.id, cursor: query.cursor });
}

export async function approvalQueue(deps: Deps, actor: Actor, query: z.infer<typeof approvalsQuery>) {
  const [page, needsCount] = await Promise.all([
    query.tab === "all"
      ? listRequests(deps.db, { mode: "all", actorId: actor.id, scope: await scopeOf(deps.db, actor), cursor: query.cursor })
      : listRequests(deps.db, { mode: query.tab, actorId: actor.id, cursor: query.cursor }),
    countDecidable(deps.db, { actorId: actor.id }),
  ]);
  return { page, needsCount };
}

/**
 * A request as its status page and the approver's panel show it: every step with who may decide
 * it (named, so requesters see their approvers), and whether the actor may decide now and why not.
 */
export async function requestView(deps: Deps, actor: Actor, requestId: string) {
  if (!z.uuid().safeParse(requestId).success) throw new NotFound("That request");
  const request = await getRequestDetail(deps.db, { requestId, scope: await scopeOf(deps.db, actor), actorId: actor.id });
  if (!request) throw new NotFound("That request");
  const entitlement = await getEntitlementPolicy(deps.db, { entitlementId: request.entitlementId });
  if (!entitlement) throw new NotFound("That request");
  const candidateIds = await Promise.all(request.steps.map((s) => (s.status === "pending" || s.status === "waiting" ? stepCandidates(deps.db, s) : Promise.resolve([]))));
  const names = await getNames(deps.db, { ids: [...new Set(candidateIds.flat())] });
  const steps = request.steps.map((s, i) => ({ ...s, candidates: candidateIds[i]!.map((id) => ({ id, name: names.get(id) ?? "someone" })) }));
  const pending = steps.find((s) => s.status === "pending") ?? null;
  const expired = request.status === "pending" && request.expiresAt <= deps.now();
  const decision = pending
    ? canDecideApprovalStep(actor, {
        approverIds: pending.candidates.map((c) => c.id),
        status: expired ? "expired" : pending.status,
        requesterId: request.requesterId,
        beneficiaryId: request.beneficiaryId,
        earlierApproverIds: request.steps.filter((s) => s.status === "approved" && s.decidedById && s.position < pending.position).map((s) => s.decidedById!),
        privileged: entitlement.privileged,
        twoPersonRule: entitlement.twoPersonRule,
      })
    : null;
  return {
    request,
    steps,
    pendingStep: pending,
    decision: decision && pending ? { stepId: pending.id, ...decision } : null,
    canWithdraw: request.status === "pending" && mayChangeAnything(actor) && (request.requesterId === actor.id || request.beneficiaryId === actor.id),
  };
}

export async function approvalEvidence(deps: Deps, view: Awaited<ReturnType<typeof requestView>>) {
  const { request } = view;
  return getApprovalEvidence(deps.db, { beneficiaryId: request.beneficiaryId, entitlementId: request.entitlementId, applicationId: request.applicationId, requestId: request.id });
}

/**
 * The request form: the catalogue search, and for a chosen entitlement its policy, the people
 * who would approve a request for oneself, and whom else the actor may ask for.
 */
export async function requestForm(deps: Deps, actor: Actor, query: z.infer<typeof requestFormQuery>) {
  const results = await searchEntitlements(deps.db, { q: query.q, cursor: query.cursor });
  if (!query.entitlementId) return { results, chosen: null };
  const entitlement = await getEntitlementPolicy(deps.db, { entitlementId: query.entitlementId });
  if (!entitlement) return { results, chosen: null };
  const [beneficiaries, facts, self] = await Promise.all([
    listRequestableBeneficiaries(deps.db, { actorId: actor.id }),
    loadChainFacts(deps.db, { requesterId: actor.id, beneficiaryId: actor.id }, entitlement),
    getIdentityForRequest(deps.db, { identityId: actor.id }),
  ]);
  const plan = planChain(entitlement, facts);
  const names = await getNames(deps.db, { ids: plan.ok ? plan.steps.flatMap((s) => s.candidates) : [] });
  return {
    results,
    chosen: {
      entitlement,
      kinds: requestableKinds(entitlement),
      beneficiaries: self ? beneficiaries : [],
      canRequest: mayChangeAnything(actor),
      approvers: plan.ok
        ? { ok: true as const, steps: plan.steps.map((s) => ({ rule: s.rule, skipReason: s.skipReason, names: s.candidates.map((id) => names.get(id) ?? "someone") })) }
        : { ok: false as const, reason: plan.reason },
      expiryHours: env().ACCORD_REQUEST_EXPIRY_HOURS,
    },
  };
}
