import type { ReviewItemView } from "@/lib/domain/campaigns/review-views";
import type { DecisionTarget } from "./decision-panel";

/** The queue URL with its filters kept and one item open. */
export function reviewHref(query: Record<string, string | undefined>, itemId: string): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v && k !== "item") params.set(k, v);
  params.set("item", itemId);
  return `/reviews?${params.toString()}`;
}

/** What the decision bar needs to know about an item. */
export function decisionTarget(item: ReviewItemView): DecisionTarget {
  return {
    id: item.id,
    version: item.version,
    identityName: item.evidence.identity.name,
    entitlementName: item.evidence.entitlement.name,
    decision: item.decision.value,
    needsComment: item.needsComment,
    refusal: item.refusal,
    removals: item.campaign.removals,
  };
}
