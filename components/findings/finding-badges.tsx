import { Badge, type Tone } from "@/components/ui/badge";
import { FINDING_KINDS, type FindingKind } from "@/lib/domain/findings/kinds";

const severityTone: Record<string, Tone> = { critical: "bad", high: "bad", medium: "warn", low: "neutral" };
const severityLabel: Record<string, string> = { critical: "Critical", high: "High", medium: "Medium", low: "Low" };

/** Severity in words, never by colour alone. */
export function SeverityBadge({ severity }: { severity: string }) {
  return <Badge tone={severityTone[severity] ?? "neutral"}>{severityLabel[severity] ?? severity}</Badge>;
}

const statusTone: Record<string, Tone> = { open: "bad", accepted: "info", resolved: "good" };

export function FindingStatusBadge({ status, acceptedUntil }: { status: string; acceptedUntil?: Date | null }) {
  const label = status === "accepted" && acceptedUntil ? `Accepted until ${acceptedUntil.toISOString().slice(0, 10)}` : status === "open" ? "Open" : status === "accepted" ? "Accepted" : "Resolved";
  return <Badge tone={statusTone[status] ?? "neutral"}>{label}</Badge>;
}

export const kindLabel = (kind: string) => FINDING_KINDS[kind as FindingKind]?.label ?? kind;
