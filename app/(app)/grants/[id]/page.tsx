import type { Metadata } from "next";
import Link from "next/link";
import { db } from "@/db/client";
import { requireActor } from "@/lib/auth/current-actor";
import { systemDeps } from "@/lib/domain/deps";
import { getGrantStory } from "@/lib/domain/inventory/grants";
import { formatDuration, formatHours, humanize } from "@/lib/format";
import { orNotFound } from "@/lib/pages";
import { Badge } from "@/components/ui/badge";
import { Facts, PageHeader, Section } from "@/components/ui/page-header";
import { EmptyRow, Table, Td } from "@/components/ui/table";
import { Time } from "@/components/ui/time";
import { GrantKindBadge, GrantStatusBadge, LiveStateBadge, PrivilegeBadges } from "@/components/inventory/grant-badges";

export const metadata: Metadata = { title: "Grant" };

const link = "text-blue-800 underline";

export default async function GrantPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requireActor();
  const { id } = await params;
  const deps = systemDeps(db());
  const story = await orNotFound(getGrantStory(deps, actor, id));
  const { grant, identity, entitlement, application, request, sessions } = story;
  const now = deps.now();
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
            <GrantKindBadge kind={grant.kind} /> <GrantStatusBadge status={grant.status} /> <LiveStateBadge state={grant.liveState} />
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
                <Time value={s.startedAt} />
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

      <Section title="Revocations">
        <Table caption="Revocations" captionHidden headers={["Cause", "State", "Requested", "Verified", "Attempts", "Last error"]}>
          {story.revocations.length === 0 ? <EmptyRow colSpan={6}>No revocation requested.</EmptyRow> : null}
          {story.revocations.map((r) => (
            <tr key={r.id}>
              <Td>{humanize(r.cause)}</Td>
              <Td>
                <Badge tone={r.status === "verified" ? "good" : r.status === "failed" ? "bad" : "warn"}>{humanize(r.status)}</Badge>
              </Td>
              <Td>
                <Time value={r.requestedAt} />
              </Td>
              <Td>
                <Time value={r.verifiedAt} />
              </Td>
              <Td>{r.attempts}</Td>
              <Td>{r.lastError ?? "—"}</Td>
            </tr>
          ))}
        </Table>
      </Section>

      {story.findings.length > 0 ? (
        <Section title="Findings">
          <ul className="space-y-1 text-sm">
            {story.findings.map((f) => (
              <li key={f.id}>
                <Badge tone={f.status === "open" ? "bad" : "neutral"}>
                  {humanize(f.severity)} · {humanize(f.status)}
                </Badge>{" "}
                {humanize(f.kind)}: {f.reason} (since <Time value={f.firstSeenAt} dateOnly />)
              </li>
            ))}
          </ul>
        </Section>
      ) : null}
    </>
  );
}
