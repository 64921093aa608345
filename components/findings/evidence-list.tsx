import Link from "next/link";
import { Time } from "@/components/ui/time";

/** Evidence keys in words; unknown keys are shown as they are, so nothing recorded is hidden. */
const LABELS: Record<string, string> = {
  sessions: "Sessions without approval",
  usageEvents: "Usage events without approval",
  firstUsedAt: "First such use",
  lastUsedAt: "Last use",
  sessionIds: "Sessions (latest 5)",
  usageEventIds: "Usage events (latest 5)",
  lookbackDays: "Evidence examined (days back)",
  liveGrantId: "Live grant for this access",
  expiresAt: "Expired",
  liveState: "Live state in the target",
  liveCheckedAt: "Target last read",
  grantStatus: "Grant status in Accord",
  activationId: "Activation",
  activationEndedAt: "Activation ended",
  longestOverrunMinutes: "Longest session overrun (minutes)",
  revocationId: "Revocation",
  revocationStatus: "Revocation state",
  cause: "Revocation cause",
  requestedAt: "Revocation requested",
  slaDueAt: "Due by (SLA)",
  attempts: "Dispatch attempts",
  lastError: "Last error",
  connector: "Connector",
  revokedGrantId: "Revoked grant",
  revokedAt: "Removed",
  backGrantId: "Grant live again",
  backSource: "Came back through",
  backSince: "Back since",
  username: "Account",
  lastLoginAt: "Last sign-in",
  lastSeenAt: "Last seen by a sync",
  createdAt: "Account created",
  leftAt: "Left",
  accounts: "Active accounts",
  grantIds: "Grants",
  entitlements: "Live entitlements",
  type: "Type",
  formerOwnerId: "Former owner",
  formerOwner: "Former owner's name",
  ownerLeftAt: "Owner left",
  liveGrants: "Live grants",
  privilegedGrants: "Of which privileged",
  grantedAt: "Granted",
  unusedDays: "Threshold (days unused)",
  startedAt: "Activated",
  endedAt: "Activation ended",
  incidentId: "Incident",
  justification: "Justification",
  ticket: "Ticket",
  reviewItemId: "Review item",
  ruleId: "SoD rule id",
  rule: "SoD rule",
  ruleDescription: "Why the rule exists",
  ruleSize: "Entitlements in the rule",
};

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
const linkClass = "text-blue-800 underline";

function hrefFor(key: string, id: string): string | null {
  if (/grantids?$/i.test(key)) return `/grants/${id}`;
  if (key === "sessionIds") return `/sessions/${id}`;
  if (key === "formerOwnerId") return `/identities/${id}`;
  if (key === "reviewItemId") return `/reviews/${id}`;
  return null;
}

function Value({ name, value, now }: { name: string; value: unknown; now: Date }) {
  if (value === null || value === undefined || (Array.isArray(value) && value.length === 0)) return <span className="text-slate-500">—</span>;
  if (Array.isArray(value)) {
    return (
      <ul className="space-y-0.5">
        {value.map((v, i) => (
          <li key={i}>
            <Value name={name} value={v} now={now} />
          </li>
        ))}
      </ul>
    );
  }
  if (typeof value === "string") {
    if (ISO.test(value)) return <Time value={new Date(value)} now={now} />;
    const href = hrefFor(name, value);
    if (href) {
      return (
        <Link className={`${linkClass} font-mono text-xs`} href={href}>
          {value}
        </Link>
      );
    }
    return <span className={/Ids?$/.test(name) ? "font-mono text-xs" : ""}>{value.replaceAll("_", " ")}</span>;
  }
  if (typeof value === "number") {
    const href = hrefFor(name, String(value));
    return href ? (
      <Link className={`${linkClass} font-mono text-xs`} href={href}>
        {value}
      </Link>
    ) : (
      <>{value.toLocaleString("en")}</>
    );
  }
  if (typeof value === "boolean") return <>{value ? "Yes" : "No"}</>;
  return <code className="text-xs">{JSON.stringify(value)}</code>;
}

/** A finding's evidence as recorded by the last recompute, every field shown. */
export function EvidenceList({ evidence, now }: { evidence: Record<string, unknown>; now: Date }) {
  const entries = Object.entries(evidence);
  if (entries.length === 0) return <p className="text-sm text-slate-700">No further evidence recorded.</p>;
  return (
    <dl className="grid grid-cols-1 gap-x-6 gap-y-2 rounded-lg border border-slate-200 bg-white p-4 text-sm sm:grid-cols-2">
      {entries.map(([key, value]) => (
        <div key={key}>
          <dt className="text-slate-600">{LABELS[key] ?? key}</dt>
          <dd className="font-medium break-words">
            <Value name={key} value={value} now={now} />
          </dd>
        </div>
      ))}
    </dl>
  );
}
