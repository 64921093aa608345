import { Badge, type Tone } from "@/components/ui/badge";
import { humanize } from "@/lib/format";

const statusTone: Record<string, Tone> = { active: "good", suspended: "warn", leaver: "bad" };

export function IdentityStatusBadge({ status }: { status: string }) {
  return <Badge tone={statusTone[status] ?? "neutral"}>{humanize(status)}</Badge>;
}

export function IdentityTypeBadge({ kind, type }: { kind: string; type: string }) {
  return <Badge tone={kind === "non_human" ? "info" : type === "third_party" ? "warn" : "neutral"}>{kind === "non_human" ? `Non-human · ${humanize(type)}` : humanize(type)}</Badge>;
}
