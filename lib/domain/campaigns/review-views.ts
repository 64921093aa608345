import { z } from "zod";
import { foldQueueCounts, getReviewItem, listQueue, queueFacets } from "@/db/queries/reviews";
import { NotFound } from "@/lib/errors";
import type { Actor } from "@/lib/domain/access/actor";
import { canDecideReviewItem, canViewReviewItem } from "@/lib/domain/access/rules";
import type { Deps } from "@/lib/domain/deps";
import { evidenceOf, needsComment, type ItemEvidence } from "./evidence";

const flag = z.enum(["true", "false"]).transform((v) => v === "true");

export const queueFiltersSchema = z.object({
  campaignId: z.uuid().optional().catch(undefined),
  applicationId: z.uuid().optional().catch(undefined),
  q: z.string().trim().max(200).optional(),
  privileged: flag.optional().catch(undefined),
  recommendation: z.enum(["certify", "revoke", "reduce", "none"]).optional().catch(undefined),
  status: z.enum(["pending", "decided"]).default("pending").catch("pending"),
  cursor: z.string().max(500).optional(),
  item: z.uuid().optional().catch(undefined),
});

/** The signed-in reviewer's own queue: only ever items assigned to them. */
export async function myQueue(deps: Deps, actor: Actor, filters: z.infer<typeof queueFiltersSchema>) {
  const [page, { needsFold, ...facets }] = await Promise.all([listQueue(deps.db, { reviewerId: actor.id, filters }), queueFacets(deps.db, { reviewerId: actor.id })]);
  // After a launch or many decisions the counts are many small deltas: fold them for next time.
  if (needsFold) await foldQueueCounts(deps.db, { reviewerId: actor.id });
  return { page, facets };
}

export interface ReviewItemView {
  id: string;
  version: number;
  campaign: { id: string; name: string; status: string; adHoc: boolean; removals: "at_close" | "on_decision" };
  stage: number;
  status: "pending" | "decided" | "closed";
  reviewer: { id: string | null; name: string | null; reason: string };
  decision: { value: string | null; by: string | null; at: Date | null; comment: string | null; bulk: boolean; secondsSpent: number | null };
  recommendation: { value: string; reason: string | null };
  dueAt: Date | null;
  snapshotAt: Date;
  evidence: ItemEvidence;
  privileged: boolean;
  needsComment: boolean;
  /** What is true now, beside the snapshot: the grant and its revocation's progress. */
  now: {
    grantStatus: string | null;
    nextReviewDue: Date | null;
    liveState: string | null;
    revocation: { status: string; error: string | null; verifiedAt: Date | null; verification: string | null } | null;
  };
  history: { decision: string; actor: string; comment: string | null; at: Date; bulk: boolean; secondsSpent: number | null; reassignedTo: string | null; undone: boolean }[];
  /** Why this actor may not decide it now, or null when they may (the server checks again on every decision). */
  refusal: string | null;
}

const date = (v: unknown) => (v ? new Date(v as string) : null);

export async function reviewItemView(deps: Deps, actor: Actor, input: { itemId: string }): Promise<ReviewItemView> {
  const found = await getReviewItem(deps.db, input);
  if (!found) throw new NotFound("That review item");
  const r = found.row;
  if (!canViewReviewItem(actor, { reviewerId: r.reviewer_id as string | null, campaignOwnerId: r.campaign_owner_id as string | null })) throw new NotFound("That review item");
  const evidence = evidenceOf({ evidence: r.evidence as Record<string, unknown> });
  const privileged = r.privileged as boolean;
  return {
    id: r.id as string,
    version: r.version as number,
    campaign: {
      id: r.campaign_id as string,
      name: r.campaign_name as string,
      status: r.campaign_status as string,
      adHoc: r.ad_hoc as boolean,
      removals: r.removals as "at_close" | "on_decision",
    },
    stage: r.stage as number,
    status: r.status as ReviewItemView["status"],
    reviewer: { id: r.reviewer_id as string | null, name: r.reviewer_name as string | null, reason: r.reviewer_reason as string },
    decision: {
      value: r.decision as string | null,
      by: r.decided_by_name as string | null,
      at: date(r.decided_at),
      comment: r.comment as string | null,
      bulk: r.bulk as boolean,
      secondsSpent: r.seconds_spent as number | null,
    },
    recommendation: { value: r.recommendation as string, reason: r.recommendation_reason as string | null },
    dueAt: date(r.due_at),
    snapshotAt: date(r.snapshot_at)!,
    evidence,
    privileged,
    needsComment: needsComment(evidence, privileged),
    now: {
      grantStatus: r.grant_status as string | null,
      nextReviewDue: date(r.next_review_due),
      liveState: r.live_state as string | null,
      revocation: r.revocation_status
        ? { status: r.revocation_status as string, error: r.revocation_error as string | null, verifiedAt: date(r.revocation_verified_at), verification: r.revocation_verification as string | null }
        : null,
    },
    history: found.history.map((h) => ({
      decision: h.decision,
      actor: h.actor,
      comment: h.comment,
      at: new Date(h.created_at),
      bulk: h.bulk,
      secondsSpent: h.seconds_spent,
      reassignedTo: h.reassigned_to,
      undone: h.undone_at !== null,
    })),
    refusal: decisionRefusal(actor, r),
  };
}

function decisionRefusal(actor: Actor, r: Record<string, unknown>): string | null {
  const rule = canDecideReviewItem(actor, {
    reviewerId: r.reviewer_id as string | null,
    identityId: r.identity_id as string,
    status: r.status as string,
    campaignStatus: r.campaign_status as string,
  });
  if (!rule.allowed) return rule.reason;
  if (r.revocation_id) return "The removal is under way; follow it below.";
  return null;
}
