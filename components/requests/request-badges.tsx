import { Badge, type Tone } from "@/components/ui/badge";
import { formatDuration } from "@/lib/format";

const statusTone: Record<string, Tone> = { pending: "warn", approved: "good", fulfilled: "good", denied: "bad", expired: "neutral", cancelled: "neutral" };
const statusLabel: Record<string, string> = {
  pending: "Waiting for approval",
  approved: "Approved",
  fulfilled: "Approved and granted",
  denied: "Denied",
  expired: "Expired undecided",
  cancelled: "Withdrawn",
};

export function RequestStatusBadge({ status }: { status: string }) {
  return <Badge tone={statusTone[status] ?? "neutral"}>{statusLabel[status] ?? status}</Badge>;
}

/** Time-bound / JIT / Break-glass, as the approvals queue shows them. */
export function RequestKindBadge({ kind, breakGlass }: { kind: string; breakGlass?: boolean }) {
  if (breakGlass) return <Badge tone="bad">Break-glass</Badge>;
  const label = { time_bound: "Time-bound", eligible: "JIT", standing: "Standing" }[kind] ?? kind;
  return <Badge tone={kind === "standing" ? "warn" : "info"}>{label}</Badge>;
}

export function durationText(kind: string, minutes: number | null): string {
  if (kind === "standing") return "no end";
  if (minutes === null) return kind === "eligible" ? "eligible until removed" : "—";
  return `${kind === "eligible" ? "eligible for " : ""}${formatDuration(minutes * 60)}`;
}
