import { Badge } from "@/components/ui/badge";

/** How a session stands against approval, in words (colour is never the only signal). */
export function ApprovalBadge({ usedWithoutApproval, matched, activation }: { usedWithoutApproval: boolean; matched: boolean; activation: boolean }) {
  if (!matched) return <Badge tone="warn">Unmatched account</Badge>;
  if (usedWithoutApproval) return <Badge tone="bad">Used without approval</Badge>;
  return <Badge tone="good">{activation ? "Within activation" : "Approved grant"}</Badge>;
}
