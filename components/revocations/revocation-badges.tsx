import { Badge, type Tone } from "@/components/ui/badge";
import { Time } from "@/components/ui/time";

const stateLabel: Record<string, string> = {
  requested: "Requested",
  dispatched: "Dispatched",
  applied: "Applied, verifying",
  verified: "Verified",
  failed: "Failed",
};
const stateTone: Record<string, Tone> = { requested: "warn", dispatched: "warn", applied: "warn", verified: "good", failed: "bad" };

export function RevocationStateBadge({ status, overdue = false }: { status: string; overdue?: boolean }) {
  return (
    <span className="inline-flex flex-wrap gap-1">
      <Badge tone={stateTone[status] ?? "neutral"}>{stateLabel[status] ?? status}</Badge>
      {overdue ? <Badge tone="bad">Past SLA</Badge> : null}
    </span>
  );
}

const verificationLabel: Record<string, string> = {
  read_back: "read back from the target",
  callback: "confirmed by the receiver's callback",
  attestation: "attested by a person (not read back)",
  superseded: "not removed: a newer grant keeps the access",
};

export function VerificationNote({ method }: { method: string | null }) {
  if (!method) return null;
  return <span className="text-slate-700">{verificationLabel[method] ?? method}</span>;
}

interface Steps {
  status: string;
  requestedAt: Date;
  dispatchedAt: Date | null;
  appliedAt: Date | null;
  verifiedAt: Date | null;
  failedAt: Date | null;
  verification: string | null;
}

/** Requested → Dispatched → Applied → Verified / Failed, each with its time, as an ordered list (text, not colour alone). */
export function RevocationSteps({ r }: { r: Steps }) {
  const steps: [string, Date | null, boolean][] = [
    ["Requested", r.requestedAt, true],
    ["Dispatched", r.dispatchedAt, Boolean(r.dispatchedAt)],
    ["Applied", r.appliedAt, Boolean(r.appliedAt)],
    r.status === "failed" ? ["Failed", r.failedAt, true] : ["Verified", r.verifiedAt, Boolean(r.verifiedAt)],
  ];
  return (
    <ol className="flex flex-wrap items-center gap-x-1 gap-y-1 text-xs" aria-label="Revocation progress">
      {steps.map(([label, at, done], i) => (
        <li key={label} className="flex items-center gap-1">
          {i > 0 ? (
            <span aria-hidden="true" className="text-slate-400">
              →
            </span>
          ) : null}
          <span className={done ? (label === "Failed" ? "font-semibold text-red-800" : "font-semibold text-slate-900") : "text-slate-500"}>
            {done ? "✓ " : "○ "}
            {label}
            {done && at ? (
              <>
                {" "}
                <Time value={at} />
              </>
            ) : (
              <span className="sr-only"> (not yet)</span>
            )}
          </span>
        </li>
      ))}
    </ol>
  );
}
