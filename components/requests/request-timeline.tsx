import { Badge } from "@/components/ui/badge";
import { Time } from "@/components/ui/time";
import { formatDuration } from "@/lib/format";

const RULE = { manager: "Manager", app_owner: "Application owner", entitlement_owner: "Entitlement owner", named: "Named approver" } as const;

export interface TimelineStep {
  id: string;
  position: number;
  rule: keyof typeof RULE;
  status: string;
  approverName: string | null;
  deciderName: string | null;
  decidedAt: Date | null;
  comment: string | null;
  approvedDurationMinutes: number | null;
  /** Why and when the step went to someone else because its own approvers left. */
  routedReason: string | null;
  routedAt: Date | null;
  candidates: { id: string; name: string }[];
}

const stepText: Record<string, string> = { approved: "Approved", denied: "Denied", skipped: "Passed", expired: "Expired", pending: "Waiting", waiting: "Not yet reached" };
const stepTone = { approved: "good", denied: "bad", skipped: "neutral", expired: "neutral", pending: "warn", waiting: "neutral" } as const;

/**
 * A request's history, step by step, with the people who may decide each open step named: the
 * requester always sees who they are waiting for (UX.md, "approvers are invisible" elsewhere).
 */
export function RequestTimeline({
  request,
  steps,
}: {
  request: { requesterName: string; createdAt: Date; status: string; decidedAt: Date | null; expiresAt: Date; justification: string; grantId: string | null };
  steps: TimelineStep[];
}) {
  return (
    <ol className="relative space-y-3 border-l-2 border-slate-300 pl-5" aria-label="Request timeline">
      <li>
        <p className="font-medium">
          Requested by {request.requesterName} · <Time value={request.createdAt} />
        </p>
        <p className="text-sm text-slate-700">“{request.justification}”</p>
      </li>
      {steps.map((s) => (
        <li key={s.id}>
          <p className="font-medium">
            Step {s.position}: {RULE[s.rule]} <Badge tone={stepTone[s.status as keyof typeof stepTone] ?? "neutral"}>{stepText[s.status] ?? s.status}</Badge>
          </p>
          <p className="text-sm text-slate-800">
            {s.status === "approved" || s.status === "denied" ? (
              <>
                {s.deciderName} · <Time value={s.decidedAt} />
                {s.status === "approved" && s.approvedDurationMinutes ? ` · allowed ${formatDuration(s.approvedDurationMinutes * 60)}` : ""}
              </>
            ) : s.status === "pending" || s.status === "waiting" ? (
              s.candidates.length ? (
                `${s.status === "pending" ? "Waiting for" : "Will ask"} ${s.candidates.length > 1 ? `any of ${s.candidates.map((c) => c.name).join(", ")}` : s.candidates[0]!.name}`
              ) : s.status === "waiting" ? (
                "Nobody on this step can decide it now; when the request reaches it, it goes to the next manager up, the application's owners or the administrators."
              ) : (
                "Nobody can decide this step right now. Within a minute it goes to the next manager up, the application's owners or the administrators; if there is nobody at all, the request expires unless someone is added."
              )
            ) : null}
          </p>
          {s.routedReason ? (
            <p className="text-sm text-slate-800">
              <Badge tone="warn">Re-routed</Badge> <Time value={s.routedAt} />: {s.routedReason}
            </p>
          ) : null}
          {s.comment ? <p className="text-sm text-slate-700">“{s.comment}”</p> : null}
        </li>
      ))}
      <li>
        <p className="font-medium">
          {request.status === "pending" ? (
            <>
              Expires <Time value={request.expiresAt} /> if not decided
            </>
          ) : request.status === "fulfilled" ? (
            <>
              Granted · <Time value={request.decidedAt} />
            </>
          ) : (
            <>
              {stepText[request.status] ?? request.status.charAt(0).toUpperCase() + request.status.slice(1)} · <Time value={request.decidedAt} />
            </>
          )}
        </p>
      </li>
    </ol>
  );
}
