export type ReviewerRule = "manager" | "app_owner" | "entitlement_owner" | "nhi_owner" | "named";

export const REVIEWER_RULE_LABELS: Record<ReviewerRule, string> = {
  manager: "Manager",
  app_owner: "Application owner",
  entitlement_owner: "Entitlement owner",
  nhi_owner: "Owner of the non-human identity",
  named: "Named reviewer",
};

export interface Candidate {
  id: string;
  status: "active" | "suspended" | "leaver";
}

export interface ReviewerQuestion {
  rule: ReviewerRule;
  /** Whose access is under review. */
  subjectId: string;
  /** The people the rule names, in order of preference (several app owners, several named reviewers). */
  candidates: readonly Candidate[];
  fallbackId: string | null;
  /** People who must not review this item besides the person under review (e.g. whoever raised it). */
  excludeIds?: readonly string[];
  /** The campaign's creator, asked when even the fallback would review their own access. */
  ownerId: string | null;
}

export interface ReviewerAnswer {
  reviewerId: string | null;
  reason: string;
}

/**
 * Who reviews one item. The rule's first active candidate who is not the person under review;
 * otherwise the fallback reviewer, then the campaign's owner, each only if they are not the
 * person under review; otherwise nobody, and the item shows as unassigned. The reason says
 * which happened, because a reviewer who inherits an item should know why.
 *
 * The launch does the same in SQL for a whole population (reviewerSql in launch-sql.ts); an
 * integration test holds the two to the same answers.
 */
export function resolveReviewer(q: ReviewerQuestion): ReviewerAnswer {
  const label = REVIEWER_RULE_LABELS[q.rule];
  const eligible = (id: string | null): id is string => id !== null && id !== q.subjectId && !(q.excludeIds ?? []).includes(id);
  const chosen = q.candidates.find((c) => c.status === "active" && eligible(c.id));
  if (chosen) return { reviewerId: chosen.id, reason: label };

  const why =
    q.candidates.length === 0
      ? `no ${label.toLowerCase()}`
      : q.candidates.every((c) => c.id === q.subjectId)
        ? `the ${label.toLowerCase()} is the person under review`
        : `the ${label.toLowerCase()} is not active`;
  if (eligible(q.fallbackId)) return { reviewerId: q.fallbackId, reason: `Fallback reviewer: ${why}` };
  if (eligible(q.ownerId)) return { reviewerId: q.ownerId, reason: `Campaign owner: ${why}` };
  return { reviewerId: null, reason: `Unassigned: ${why}` };
}
