import Link from "next/link";
import type { approvalEvidence, requestView } from "@/lib/domain/approvals/views";
import { KIND_LABEL, activationLimitMinutes, describeMinutes } from "@/lib/domain/approvals/policy";
import { humanize } from "@/lib/format";
import { Badge } from "@/components/ui/badge";
import { Time } from "@/components/ui/time";
import { GrantKindBadge, PrivilegeBadges } from "@/components/inventory/grant-badges";
import { durationText, RequestKindBadge } from "./request-badges";
import { RequestTimeline } from "./request-timeline";

type View = Awaited<ReturnType<typeof requestView>>;
type Evidence = Awaited<ReturnType<typeof approvalEvidence>>;

const link = "text-blue-800 underline";

function H({ children }: { children: React.ReactNode }) {
  return <h3 className="mt-3 text-sm font-semibold uppercase tracking-wide text-slate-700">{children}</h3>;
}

/** Evidence beside the decision: who, what, the policy, what they hold already, and their peers. */
export function ApprovalEvidence({ view, evidence, now }: { view: View; evidence: Evidence; now: Date }) {
  const { request } = view;
  const forWhom = request.beneficiaryId === request.requesterId ? "" : ` for ${request.beneficiaryName}`;
  const nonHuman = request.beneficiaryKind === "non_human";
  return (
    <div className="text-sm">
      <p className="text-base font-semibold">
        {request.requesterName} requests {request.entitlementName}
        {forWhom}, {request.kind === "eligible" ? "just-in-time" : humanize(request.kind)} ({durationText(request.kind, request.durationMinutes)}).
      </p>
      <p className="mt-1 flex flex-wrap items-center gap-1">
        <RequestKindBadge kind={request.kind} breakGlass={request.breakGlass} /> <PrivilegeBadges privileged={request.privileged} breakGlass={request.breakGlass} />
        <span>
          Requested <Time value={request.createdAt} now={now} />, expires <Time value={request.expiresAt} now={now} /> if undecided.
        </span>
      </p>
      <p className="mt-2">
        “{request.justification}”
        {request.ticket ? (
          <>
            {" "}
            · ticket <strong>{request.ticket}</strong>
          </>
        ) : (
          " · no ticket"
        )}
      </p>

      <H>Who</H>
      <p>
        <Link className={link} href={`/identities/${request.beneficiaryId}`}>
          {request.beneficiaryName}
        </Link>
        , {humanize(request.beneficiaryType)}
        {request.beneficiaryTitle ? `, ${request.beneficiaryTitle}` : ""}
        {request.beneficiaryDepartment ? ` (${request.beneficiaryDepartment})` : ""}. {nonHuman ? `Owner: ${evidence.ownerName ?? "none"}.` : `Manager: ${evidence.managerName ?? "none on record"}.`}
        {request.beneficiaryStatus !== "active" ? <Badge tone="bad">{request.beneficiaryStatus}</Badge> : null}
      </p>
      {nonHuman && evidence.credentials.length > 0 ? (
        <ul className="mt-1 list-disc pl-5">
          {evidence.credentials.map((c, i) => (
            <li key={i}>
              {humanize(c.kind)} issued <Time value={c.issuedAt} dateOnly />, last rotated {c.lastRotatedAt ? <Time value={c.lastRotatedAt} now={now} /> : "never"}; scopes{" "}
              {c.scopes.join(", ") || "none"}
            </li>
          ))}
        </ul>
      ) : null}

      <H>What</H>
      <p>
        <Link className={link} href={`/entitlements/${request.entitlementId}`}>
          {request.entitlementName}
        </Link>{" "}
        in {request.applicationName} (application tier {humanize(request.applicationRiskTier)}, entitlement risk {humanize(request.riskLevel)}).
      </p>
      {request.entitlementDescription ? <p className="text-slate-700">{request.entitlementDescription}</p> : null}

      <H>Policy</H>
      <p>
        Allows {request.allowedKinds.map((k) => KIND_LABEL[k]).join(", ")}.{" "}
        {request.kind === "eligible"
          ? `Activation windows of at most ${describeMinutes(activationLimitMinutes(request))}.`
          : request.maxDurationMinutes
            ? `At most ${describeMinutes(request.maxDurationMinutes)}.`
            : "No maximum duration."}{" "}
        {request.requiresTicket ? "Ticket required." : "Ticket optional."} {request.privileged && request.twoPersonRule ? "Two different approvers required." : ""}
      </p>

      <H>Approvals so far</H>
      <RequestTimeline request={request} steps={view.steps} />

      <H>Their access in {request.applicationName}</H>
      {evidence.holdings.length === 0 ? (
        <p>None today.</p>
      ) : (
        <ul className="list-disc pl-5">
          {evidence.holdings.map((g) => (
            <li key={g.id}>
              <Link className={link} href={`/grants/${g.id}`}>
                {g.entitlementName}
              </Link>{" "}
              <GrantKindBadge kind={g.kind} /> {g.privileged ? <Badge tone="bad">Privileged</Badge> : null} since <Time value={g.grantedAt} dateOnly />
            </li>
          ))}
        </ul>
      )}
      {evidence.history.length + evidence.earlierRequests.length > 0 ? (
        <p className="mt-1">
          Earlier: {evidence.history.map((h) => `${humanize(h.kind)} grant ${h.status} ${h.endedAt ? h.endedAt.toISOString().slice(0, 10) : ""}`).join("; ")}
          {evidence.history.length && evidence.earlierRequests.length ? "; " : ""}
          {evidence.earlierRequests.map((r) => `request ${r.status} ${r.createdAt.toISOString().slice(0, 10)}`).join("; ")}.
        </p>
      ) : (
        <p className="mt-1">No earlier grant or request of this entitlement.</p>
      )}

      <H>Peers</H>
      <p>
        {evidence.peers.total === 0
          ? nonHuman
            ? "No other non-human identity has the same owner."
            : "No teammates with the same manager."
          : `${evidence.peers.holding} of ${evidence.peers.total} ${nonHuman ? "identities with the same owner" : "teammates"} hold it${evidence.peers.eligible ? ` (${evidence.peers.eligible} as JIT)` : ""}.`}
      </p>
    </div>
  );
}
