import type { Metadata } from "next";
import Link from "next/link";
import { db } from "@/db/client";
import { requireActor } from "@/lib/auth/current-actor";
import { systemDeps } from "@/lib/domain/deps";
import { getGrantStory } from "@/lib/domain/inventory/grants";
import { activationPanel } from "@/lib/domain/jit/views";
import { formatDuration, formatHours, humanize } from "@/lib/format";
import { orNotFound } from "@/lib/pages";
import { Badge } from "@/components/ui/badge";
import { Facts, PageHeader, Section } from "@/components/ui/page-header";
import { EmptyRow, Table, Td } from "@/components/ui/table";
import { Time } from "@/components/ui/time";
import { GrantKindBadge, GrantStatusBadge, LiveStateBadge, PrivilegeBadges } from "@/components/inventory/grant-badges";
import { ActivationPanel } from "./_components/activation-panel";
import { Receipts } from "@/components/revocations/receipts";
import { RevocationStateBadge, RevocationSteps, VerificationNote } from "@/components/revocations/revocation-badges";
import { AttestRevocation, RetryRevocation, RevokeGrant } from "../../revocations/_components/revocation-actions";

export const metadata: Metadata = { title: "Grant" };

const link = "text-blue-800 underline";

export default async function GrantPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requireActor();
  const { id } = await params;
  const deps = systemDeps(db());
  const story = await orNotFound(getGrantStory(deps, actor, id));
  const { grant, identity, entitlement, application, request, sessions } = story;
  const now = deps.now();
  const jit = await activationPanel(deps, actor, grant.id);
  return (
    <>
      <PageHeader
        title={`${entitlement.name} in ${application.name}`}
        subtitle={
          <span className="flex flex-wrap items-center gap-2">
            held by{" "}
            <Link className={link} href={`/identities/${identity.id}`}>
              {identity.displayName}
            </Link>
            <GrantKindBadge kind={grant.kind} /> <GrantStatusBadge status={grant.status} revocationStatus={story.revocations[0]?.status} /> <LiveStateBadge state={grant.liveState} />
            <PrivilegeBadges privileged={entitlement.privileged} breakGlass={entitlement.breakGlass} />
          </span>
        }
      />
      {entitlement.description ? <p className="mb-4 max-w-3xl text-slate-800">{entitlement.description}</p> : null}

      <Section title="How this access exists">
        <Facts
          items={[
            ["Source", humanize(grant.source)],
            ["Requested by", story.requestedBy?.id ? story.requestedBy.displayName : "—"],
            ["Approved by", story.approvedBy?.id ? story.approvedBy.displayName : <Badge tone="warn">No recorded approval</Badge>],
            ["Approved", <Time key="a" value={grant.approvedAt} now={now} />],
            ["Justification", grant.justification],
            ["Ticket", grant.ticket],
            ["Granted", <Time key="g" value={grant.grantedAt} now={now} />],
            ["Expires", grant.kind === "standing" ? "Never (standing)" : <Time key="e" value={grant.expiresAt} now={now} />],
            ["Next review due", <Time key="r" value={grant.nextReviewDue} now={now} />],
            ["Account", story.account?.id ? story.account.username : "—"],
            ["Live state checked", <Time key="l" value={grant.liveCheckedAt} now={now} />],
            ["Application tier", humanize(application.riskTier)],
          ]}
        />
        {request ? (
          <div className="mt-3">
            <Table caption={`Approval chain of the request by ${request.requesterName}, ${request.status}`} headers={["Step", "Approver rule", "Approver", "Decision", "When", "Comment"]}>
              {request.steps.map((s) => (
                <tr key={s.id}>
                  <Td>{s.position}</Td>
                  <Td>{humanize(s.rule)}</Td>
                  <Td>{s.approverName ?? "—"}</Td>
                  <Td>
                    {humanize(s.status)}
                    {s.approvedDurationMinutes ? ` (${formatDuration(s.approvedDurationMinutes * 60)})` : ""}
                  </Td>
                  <Td>
                    <Time value={s.decidedAt} />
                  </Td>
                  <Td>{s.comment ?? "—"}</Td>
                </tr>
              ))}
            </Table>
          </div>
        ) : null}
      </Section>

      <Section
        title="Sessions that used it"
        description={
          <>
            {sessions.count} recorded session{sessions.count === 1 ? "" : "s"}, {formatHours(sessions.totalSeconds)} in total. Last used: <Time value={sessions.lastUsedAt} now={now} />
            {sessions.count > sessions.rows.length ? ` Showing the latest ${sessions.rows.length}.` : ""}
          </>
        }
      >
        <Table caption="Privileged sessions on this grant" captionHidden headers={["Start", "End", "Duration", "Login", "Target", "Source", "Recording", "Within activation"]}>
          {sessions.rows.length === 0 ? <EmptyRow colSpan={8}>No recorded session used this grant.</EmptyRow> : null}
          {sessions.rows.map((s) => (
            <tr key={s.id}>
              <Td>
                <Link className={link} href={`/sessions/${s.id}`}>
                  <Time value={s.startedAt} />
                </Link>
              </Td>
              <Td>{s.endedAt ? <Time value={s.endedAt} /> : <Badge tone="warn">Still open</Badge>}</Td>
              <Td>{s.durationSeconds === null ? "—" : formatDuration(s.durationSeconds)}</Td>
              <Td className="font-mono">{s.login ?? "—"}</Td>
              <Td>{s.target ?? "—"}</Td>
              <Td>
                {s.source} · <span className="font-mono text-xs">{s.sourceSessionId}</span>
              </Td>
              <Td className="font-mono text-xs">{s.recordingRef ?? "—"}</Td>
              <Td>{s.activationId ? "Yes" : "—"}</Td>
            </tr>
          ))}
        </Table>
      </Section>

      {jit ? (
        <Section title={entitlement.breakGlass ? "Break-glass access" : "Just-in-time access"}>
          <ActivationPanel grantId={grant.id} entitlementName={entitlement.name} {...jit} />
        </Section>
      ) : null}

      {grant.kind === "eligible" ? (
        <Section title="Activations" description="The windows in which this eligible grant was live.">
          <Table caption="Activations" captionHidden headers={["Start", "End", "Status", "Justification", "Ticket", "Break-glass"]}>
            {story.activations.length === 0 ? <EmptyRow colSpan={6}>Never activated.</EmptyRow> : null}
            {story.activations.map((a) => (
              <tr key={a.id}>
                <Td>
                  <Time value={a.startsAt} />
                </Td>
                <Td>
                  <Time value={a.endedAt ?? a.endsAt} />
                </Td>
                <Td>{humanize(a.status)}</Td>
                <Td>{a.justification}</Td>
                <Td>{a.ticket ?? "—"}</Td>
                <Td>{a.breakGlass ? <Badge tone="bad">Break-glass {a.incidentId ?? ""}</Badge> : "—"}</Td>
              </tr>
            ))}
          </Table>
        </Section>
      ) : null}

      <Section title="Review history">
        <Table caption="Review history" captionHidden headers={["Campaign", "Reviewer", "Decision", "Decided by", "When", "Comment"]}>
          {story.reviews.length === 0 ? <EmptyRow colSpan={6}>Never reviewed.</EmptyRow> : null}
          {story.reviews.map((r) => (
            <tr key={r.id}>
              <Td>{r.campaignName}</Td>
              <Td>{r.reviewerName ?? "—"}</Td>
              <Td>{r.decision ? humanize(r.decision) : humanize(r.status)}</Td>
              <Td>{r.deciderName ?? "—"}</Td>
              <Td>
                <Time value={r.decidedAt} />
              </Td>
              <Td>{r.comment ?? "—"}</Td>
            </tr>
          ))}
        </Table>
      </Section>

      <Section
        title="Revocations"
        description="Each removal from request to verified, with its receipts: every request sent to the target and its answer (secrets removed). Until verified, the access counts as live."
      >
        {story.revocations.length === 0 ? <p className="text-slate-700">No revocation requested.</p> : null}
        {story.mayRevoke ? (
          <div className="mb-4">
            <RevokeGrant grantId={grant.id} label={`Revoke ${entitlement.name} from ${identity.displayName}`} />
          </div>
        ) : null}
        <div className="space-y-4">
          {story.revocations.map((r) => (
            <article key={r.id} className="rounded-lg border border-slate-200 bg-white p-3" aria-label={`Revocation requested ${r.requestedAt.toISOString()}`}>
              <div className="flex flex-wrap items-center gap-2">
                <RevocationStateBadge status={r.status} overdue={r.overdue} />
                <span>
                  {humanize(r.cause)} · {humanize(r.connectorKind)} connector · {r.attempts} attempt{r.attempts === 1 ? "" : "s"} · SLA due <Time value={r.slaDueAt} now={now} />
                </span>
              </div>
              <div className="mt-2">
                <RevocationSteps r={r} />
              </div>
              {r.status === "verified" ? (
                <p className="mt-1 text-sm">
                  Verified: <VerificationNote method={r.verification} />
                </p>
              ) : null}
              {r.lastError ? <p className="mt-1 text-sm text-red-900">Last error: {r.lastError}</p> : null}
              <div className="mt-2 flex flex-wrap gap-3">
                {r.mayRetry ? <RetryRevocation revocationId={r.id} label="Retry this revocation" /> : null}
                {r.mayAttest ? <AttestRevocation revocationId={r.id} label="Confirm the access is removed" /> : null}
              </div>
              <div className="mt-2">
                <Receipts rows={r.receipts} caption={`Receipts of the ${humanize(r.cause).toLowerCase()} revocation`} />
              </div>
            </article>
          ))}
        </div>
      </Section>

      {story.findings.length > 0 ? (
        <Section title="Findings">
          <ul className="space-y-1 text-sm">
            {story.findings.map((f) => (
              <li key={f.id}>
                <Badge tone={f.status === "open" ? "bad" : "neutral"}>
                  {humanize(f.severity)} · {humanize(f.status)}
                </Badge>{" "}
                <Link className={link} href={`/findings/${f.id}`}>
                  {humanize(f.kind)}
                </Link>
                : {f.reason} (since <Time value={f.firstSeenAt} dateOnly />)
              </li>
            ))}
          </ul>
        </Section>
      ) : null}
    </>
  );
}
