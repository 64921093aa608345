import { Badge, type Tone } from "@/components/ui/badge";

const kindLabel = { standing: "Standing", time_bound: "Time-bound", eligible: "JIT eligible" } as const;
const kindTone: Record<keyof typeof kindLabel, Tone> = { standing: "warn", time_bound: "info", eligible: "good" };

export function GrantKindBadge({ kind }: { kind: keyof typeof kindLabel }) {
  return <Badge tone={kindTone[kind]}>{kindLabel[kind]}</Badge>;
}

const statusTone: Record<string, Tone> = { active: "good", pending_revocation: "warn", revoked: "neutral", expired: "neutral" };
const statusLabel: Record<string, string> = {
  active: "Active",
  // Never shown as gone until the target confirms it.
  pending_revocation: "Revocation pending",
  revoked: "Revoked",
  expired: "Expired",
};

/** Where a pending revocation stands: a revoked-but-unverified grant is never shown as gone. */
const revocationLabel: Record<string, [string, Tone]> = {
  requested: ["Revocation requested", "warn"],
  dispatched: ["Revocation sent, not verified", "warn"],
  applied: ["Removed, verifying", "warn"],
  failed: ["Revocation failed: still live", "bad"],
};

export function GrantStatusBadge({ status, revocationStatus }: { status: string; revocationStatus?: string | null }) {
  if (status === "pending_revocation" && revocationStatus && revocationLabel[revocationStatus]) {
    const [label, tone] = revocationLabel[revocationStatus];
    return <Badge tone={tone}>{label}</Badge>;
  }
  if ((status === "revoked" || status === "expired") && revocationStatus === "verified") return <Badge tone="neutral">{statusLabel[status]} (verified)</Badge>;
  return <Badge tone={statusTone[status] ?? "neutral"}>{statusLabel[status] ?? status}</Badge>;
}

export function PrivilegeBadges({ privileged, breakGlass }: { privileged: boolean; breakGlass?: boolean }) {
  return (
    <>
      {privileged ? <Badge tone="bad">Privileged</Badge> : null}
      {breakGlass ? (
        <span className="ml-1">
          <Badge tone="bad">Break-glass</Badge>
        </span>
      ) : null}
    </>
  );
}

const liveTone: Record<string, Tone> = { present: "good", absent: "bad", unknown: "neutral" };
const liveLabel: Record<string, string> = { present: "Seen in target", absent: "Not in target", unknown: "Not checked" };

export function LiveStateBadge({ state }: { state: string }) {
  return <Badge tone={liveTone[state] ?? "neutral"}>{liveLabel[state] ?? state}</Badge>;
}
