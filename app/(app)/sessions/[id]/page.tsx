import type { Metadata } from "next";
import Link from "next/link";
import { db } from "@/db/client";
import { requireActor } from "@/lib/auth/current-actor";
import { systemDeps } from "@/lib/domain/deps";
import { getSessionStory } from "@/lib/domain/evidence/sessions";
import { formatDuration, humanize } from "@/lib/format";
import { orNotFound } from "@/lib/pages";
import { ApprovalBadge } from "@/components/evidence/session-badges";
import { GrantKindBadge, PrivilegeBadges } from "@/components/inventory/grant-badges";
import { Badge } from "@/components/ui/badge";
import { Facts, PageHeader, Section } from "@/components/ui/page-header";
import { EmptyRow, Table, Td } from "@/components/ui/table";
import { Time } from "@/components/ui/time";

export const metadata: Metadata = { title: "Session" };

const link = "text-blue-800 underline";

export default async function SessionPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requireActor();
  const { id } = await params;
  const deps = systemDeps(db());
  const story = await orNotFound(getSessionStory(deps, actor, id));
  const { session, identity, application, entitlement, grant, activation, request, events } = story;
  const now = deps.now();
  const who = identity?.displayName ?? session.accountName ?? "an unknown user";
  return (
    <>
      <PageHeader
        title={`Session of ${who}${session.target ? ` on ${session.target}` : ""}`}
        subtitle={
          <span className="flex flex-wrap items-center gap-2">
            <ApprovalBadge usedWithoutApproval={session.usedWithoutApproval} matched={identity !== null} activation={activation !== null} />
            {entitlement ? <PrivilegeBadges privileged={entitlement.privileged} breakGlass={entitlement.breakGlass} /> : null}
            {session.endedAt ? null : <Badge tone="warn">Still open (no end received)</Badge>}
          </span>
        }
      />

      <Section title="What happened">
        <Facts
          items={[
            [
              "Identity",
              identity ? (
                <Link key="i" className={link} href={`/identities/${identity.id}`}>
                  {identity.displayName}
                </Link>
              ) : (
                <span key="i">none: the account matches no identity</span>
              ),
            ],
            [
              "Account (as the source wrote it)",
              <span key="a" className="font-mono">
                {session.accountName ?? "—"}
              </span>,
            ],
            [
              "Application",
              application ? (
                <Link key="p" className={link} href={`/applications/${application.id}`}>
                  {application.name}
                </Link>
              ) : (
                "—"
              ),
            ],
            ["Entitlement", entitlement?.name ?? "—"],
            [
              "Login",
              session.login ? (
                <span key="l" className="font-mono">
                  {session.login}
                </span>
              ) : (
                "—"
              ),
            ],
            ["Target", session.target],
            ["Started", <Time key="s" value={session.startedAt} now={now} />],
            ["Ended", session.endedAt ? <Time key="e" value={session.endedAt} now={now} /> : "not yet received"],
            ["Duration", session.durationSeconds === null ? "—" : `${formatDuration(session.durationSeconds)} (${session.durationSeconds.toLocaleString("en")} s)`],
            ["Participants", session.participants.length ? session.participants.join(", ") : "—"],
            ["Source", `${session.source} · session ${session.sourceSessionId}`],
            [
              "Recording",
              session.recordingRef ? (
                <span key="r" className="font-mono">
                  {session.recordingRef}
                </span>
              ) : (
                "not recorded"
              ),
            ],
          ]}
        />
      </Section>

      <Section title="What allowed it">
        {grant ? (
          <>
            <Facts
              items={[
                [
                  "Grant",
                  <Link key="g" className={link} href={`/grants/${grant.id}`}>
                    {entitlement?.name ?? "grant"} held by {identity?.displayName}
                  </Link>,
                ],
                ["Kind", <GrantKindBadge key="k" kind={grant.kind} />],
                ["Source of the grant", humanize(grant.source)],
                [
                  "Approved by",
                  story.approvedBy?.id ? (
                    story.approvedBy.displayName
                  ) : (
                    <Badge key="n" tone="warn">
                      No recorded approver
                    </Badge>
                  ),
                ],
                ["Approved", <Time key="a" value={grant.approvedAt} />],
                ["Granted", <Time key="g2" value={grant.grantedAt} />],
                ["Expires", grant.kind === "standing" ? "Never (standing)" : <Time key="x" value={grant.expiresAt} />],
                ["Justification", grant.justification],
                ["Ticket", grant.ticket],
              ]}
            />
            {activation ? (
              <div className="mt-3">
                <Facts
                  items={[
                    [
                      "Activation window",
                      <span key="w">
                        <Time value={activation.startsAt} /> to <Time value={activation.endedAt ?? activation.endsAt} />
                      </span>,
                    ],
                    ["Activation justification", activation.justification],
                    ["Activation ticket", activation.ticket],
                    [
                      "Break-glass",
                      activation.breakGlass ? (
                        <Badge key="b" tone="bad">
                          Break-glass {activation.incidentId ?? ""}
                        </Badge>
                      ) : (
                        "No"
                      ),
                    ],
                  ]}
                />
              </div>
            ) : null}
            {request ? (
              <div className="mt-3">
                <Table caption={`Approval chain of the request by ${request.requesterName}, ${request.status}`} headers={["Step", "Approver rule", "Approver", "Decision", "When", "Comment"]}>
                  {request.steps.map((s) => (
                    <tr key={s.id}>
                      <Td>{s.position}</Td>
                      <Td>{humanize(s.rule)}</Td>
                      <Td>{s.approverName ?? "—"}</Td>
                      <Td>{humanize(s.status)}</Td>
                      <Td>
                        <Time value={s.decidedAt} />
                      </Td>
                      <Td>{s.comment ?? "—"}</Td>
                    </tr>
                  ))}
                </Table>
              </div>
            ) : null}
          </>
        ) : (
          <div role="note" className="rounded-lg border border-red-300 bg-red-50 p-4 text-sm text-red-900">
            <p className="font-semibold">No approval</p>
            <p className="mt-1">
              {identity
                ? `No approved grant${entitlement ? ` of ${entitlement.name}` : ""} in ${application?.name ?? "the application"}, and no activation window, covered ${identity.displayName} when this session started.`
                : `The user "${session.accountName ?? "unknown"}" matches no account of a known identity in ${application?.name ?? "the application"}, so the session cannot be tied to any approval (an orphan-account signal).`}
            </p>
          </div>
        )}
      </Section>

      <Section title="Source events" description={`Event ids as the source wrote them. Lifecycle events: ${session.eventIds.length ? session.eventIds.join(", ") : "none received"}.`}>
        <Table caption="Events recorded in this session" captionHidden headers={["Time", "Event", "Event id", "User", "Outcome"]}>
          {events.rows.length === 0 ? <EmptyRow colSpan={5}>No events are stored for this session.</EmptyRow> : null}
          {events.rows.map((e) => (
            <tr key={e.id}>
              <Td>
                <Time value={e.occurredAt} />
              </Td>
              <Td className="font-mono text-xs">{e.action}</Td>
              <Td className="font-mono text-xs">{e.sourceEventId}</Td>
              <Td className="font-mono text-xs">{e.accountName ?? "—"}</Td>
              <Td>{e.failed ? <Badge tone="warn">Failed</Badge> : "OK"}</Td>
            </tr>
          ))}
        </Table>
        {events.total > events.rows.length ? (
          <p className="mt-2 text-sm text-slate-700">
            Showing the first {events.rows.length} of {events.total.toLocaleString("en")} events.
          </p>
        ) : null}
      </Section>
    </>
  );
}
