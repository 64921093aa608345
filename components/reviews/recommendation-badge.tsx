import { Badge, type Tone } from "@/components/ui/badge";

const LOOK: Record<string, { tone: Tone; label: string; icon: string }> = {
  certify: { tone: "good", label: "Certify", icon: "✓" },
  revoke: { tone: "bad", label: "Revoke", icon: "✕" },
  reduce: { tone: "warn", label: "Reduce to JIT", icon: "↓" },
  none: { tone: "neutral", label: "No recommendation", icon: "•" },
};

/** Icon and words, never colour alone. */
export function RecommendationBadge({ value }: { value: string }) {
  const look = LOOK[value] ?? LOOK.none!;
  return (
    <Badge tone={look.tone}>
      <span aria-hidden="true" className="mr-1">
        {look.icon}
      </span>
      {look.label}
    </Badge>
  );
}

const DECISION: Record<string, { tone: Tone; label: string }> = {
  certify: { tone: "good", label: "Certified" },
  revoke: { tone: "bad", label: "Revoke" },
  reduce: { tone: "warn", label: "Reduce" },
  reassign: { tone: "info", label: "Reassigned" },
};

export function DecisionBadge({ value }: { value: string | null }) {
  if (!value) return <Badge>Undecided</Badge>;
  const look = DECISION[value] ?? { tone: "neutral" as const, label: value };
  return <Badge tone={look.tone}>{look.label}</Badge>;
}
