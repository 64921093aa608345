import Link from "next/link";
import type { ReviewItemView } from "@/lib/domain/campaigns/review-views";
import { formatDuration, humanize } from "@/lib/format";
import { Badge } from "@/components/ui/badge";
import { Table, Td, EmptyRow } from "@/components/ui/table";
import { Time } from "@/components/ui/time";
import { DecisionBadge, RecommendationBadge } from "./recommendation-badge";
import { RevocationProgress } from "./revocation-progress";

const d = (value: string | null | undefined) => (value ? new Date(value) : null);

function Block({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <section className="border-t border-slate-200 pt-3" aria-label={title}>
      <h3 className="mb-1 text-sm font-semibold uppercase tracking-wide text-slate-700">{title}</h3>
      {children}
    </section>
  );
}

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="flex gap-2 text-sm">
      <dt className="w-36 shrink-0 text-slate-600">{label}</dt>
      <dd className="font-medium">{children ?? "—"}</dd>
    </div>
  );
}

/**
 * Everything a reviewer needs beside the decision, in the order of UX.md: who and what, the
 * recommendation with its reason, usage and sessions, how the access came to exist, peers,
 * findings and earlier decisions. The facts are the launch snapshot and say so ("as of").
 */
export function EvidencePanel({ item, now }: { item: ReviewItemView; now: Date }) {
  const e = item.evidence;
  const snapshot = item.snapshotAt;
  const windowStart = new Date(e.usage.windowStart);
  const windowHours = Math.round((snapshot.getTime() - windowStart.getTime()) / 3_600_000);
  return (
    <div className="space-y-3">
      <header>
        <h2 className="text-lg font-semibold">
          {e.identity.name} · {e.entitlement.name}
        </h2>
        <p className="text-sm text-slate-700">
          {e.entitlement.application} · {e.entitlement.privileged ? <Badge tone="warn">Privileged</Badge> : <Badge>Not privileged</Badge>}{" "}
          {e.entitlement.breakGlass ? <Badge tone="bad">Break-glass</Badge> : null} <Badge>{humanize(e.grant.kind)}</Badge>{" "}
          {e.grant.expiresAt ? (
            <>
              expires <Time value={d(e.grant.expiresAt)} now={now} dateOnly />
            </>
          ) : (
            "no end date"
          )}
        </p>
        {item.evidence.origin ? <p className="mt-1 rounded bg-amber-50 p-2 text-sm text-amber-900">{String(item.evidence.origin.reason ?? "Opened outside a scheduled campaign.")}</p> : null}
      </header>

      <Block title="Recommendation">
        <p className="text-sm">
          <RecommendationBadge value={item.recommendation.value} /> {item.recommendation.reason}{" "}
          <span className="text-slate-600">
            (as of <Time value={snapshot} dateOnly />)
          </span>
        </p>
      </Block>

      <Block title="Identity">
        <dl className="space-y-0.5">
          <Row label="Type">
            {humanize(e.identity.type)} {e.identity.kind === "non_human" ? <Badge tone="info">Non-human</Badge> : null}{" "}
            {e.identity.status !== "active" ? <Badge tone="bad">{e.identity.status}</Badge> : null}
          </Row>
          <Row label="Department">{[e.identity.department, e.identity.title].filter(Boolean).join(" · ") || null}</Row>
          {e.identity.organization ? <Row label="Organisation">{e.identity.organization}</Row> : null}
          {e.identity.kind === "non_human" ? (
            <Row label="Owner">{e.identity.owner ? `${e.identity.owner}${e.identity.ownerStatus !== "active" ? ` (${e.identity.ownerStatus})` : ""}` : "No owner"}</Row>
          ) : (
            <Row label="Manager">{e.identity.manager ? `${e.identity.manager}${e.identity.managerStatus !== "active" ? ` (${e.identity.managerStatus})` : ""}` : null}</Row>
          )}
        </dl>
      </Block>

      <Block title="Usage">
        <dl className="space-y-0.5">
          <Row label="Last used">{e.usage.lastUsedAt ? <Time value={d(e.usage.lastUsedAt)} now={now} /> : "Never, as far as connected sources show"}</Row>
          <Row label="Days used">
            {e.usage.usageDays} of the last {e.usage.windowDays} days
          </Row>
          <Row label="Privileged sessions">
            {e.usage.sessionCount} in the window · {e.usage.privilegedHours} h used
            {e.entitlement.privileged && e.grant.kind === "standing" ? ` of ${windowHours.toLocaleString("en")} privilege-hours available` : ""}
          </Row>
          {e.usage.activations > 0 ? <Row label="JIT activations">{e.usage.activations} in the window</Row> : null}
        </dl>
        <div className="mt-2">
          <Table caption={`Sessions that used this access in the ${e.usage.windowDays}-day window`} headers={["Started", "Ended", "Duration", "Target", "Login", "Source"]}>
            {e.usage.sessions.length === 0 ? (
              <EmptyRow colSpan={6}>No recorded session used it in the window.</EmptyRow>
            ) : (
              e.usage.sessions.map((s) => (
                <tr key={s.id}>
                  <Td>
                    <Time value={d(s.startedAt)} />
                  </Td>
                  <Td>{s.endedAt ? <Time value={d(s.endedAt)} /> : "Still open"}</Td>
                  <Td>{s.durationSeconds === null ? "—" : formatDuration(s.durationSeconds)}</Td>
                  <Td>{s.target ?? "—"}</Td>
                  <Td>{s.login ?? "—"}</Td>
                  <Td>{s.source}</Td>
                </tr>
              ))
            )}
          </Table>
          {e.usage.sessionCount > e.usage.sessions.length ? (
            <p className="mt-1 text-xs text-slate-600">
              Showing the latest {e.usage.sessions.length} of {e.usage.sessionCount}.
            </p>
          ) : null}
        </div>
      </Block>

      <Block title="How this access exists">
        <dl className="space-y-0.5">
          <Row label="Granted">
            <Time value={d(e.grant.grantedAt)} now={now} dateOnly /> via {humanize(e.grant.source)}
          </Row>
          <Row label="Requested by">{e.grant.requestedBy}</Row>
          <Row label="Approved by">
            {e.grant.approvedBy ? (
              <>
                {e.grant.approvedBy} on <Time value={d(e.grant.approvedAt)} dateOnly />
              </>
            ) : (
              "No recorded approval"
            )}
          </Row>
          <Row label="Justification">{e.grant.justification}</Row>
          <Row label="Ticket">{e.grant.ticket}</Row>
          <Row label="Last reviewed">{e.grant.lastReviewedAt ? <Time value={d(e.grant.lastReviewedAt)} dateOnly /> : "Never"}</Row>
        </dl>
        {e.grant.approvalChain?.length ? (
          <ol className="mt-2 list-decimal pl-6 text-sm">
            {e.grant.approvalChain.map((step) => (
              <li key={step.position}>
                {humanize(step.rule)}: {step.status}
                {step.by ? ` by ${step.by}` : ""}
                {step.at ? (
                  <>
                    {" "}
                    on <Time value={d(step.at)} dateOnly />
                  </>
                ) : null}
                {step.comment ? ` — “${step.comment}”` : ""}
              </li>
            ))}
          </ol>
        ) : null}
      </Block>

      <Block title="Peers">
        <p className="text-sm">{e.peers.total === 0 ? "No peers with the same department and title." : `${e.peers.holding} of ${e.peers.total} peers (same department and title) hold it.`}</p>
      </Block>

      <Block title="Findings and earlier reviews">
        {e.findings.length === 0 ? <p className="text-sm">No open finding on this grant.</p> : null}
        <ul className="text-sm">
          {e.findings.map((f, i) => (
            <li key={i}>
              <Badge tone="bad">{humanize(f.kind)}</Badge> {f.reason}
            </li>
          ))}
        </ul>
        {e.previousDecisions.length === 0 ? (
          <p className="text-sm">Not reviewed in an earlier campaign.</p>
        ) : (
          <ul className="text-sm">
            {e.previousDecisions.map((p, i) => (
              <li key={i}>
                <DecisionBadge value={p.decision} /> by {p.by ?? "policy"} on <Time value={d(p.decidedAt)} dateOnly />
                {p.comment ? ` — “${p.comment}”` : ""}
              </li>
            ))}
          </ul>
        )}
      </Block>

      <Block title="Now">
        <dl className="space-y-0.5">
          <Row label="Decision">
            <DecisionBadge value={item.decision.value} />
            {item.decision.by ? ` by ${item.decision.by}` : ""}
            {item.decision.at ? (
              <>
                {" "}
                on <Time value={item.decision.at} />
              </>
            ) : null}
            {item.decision.comment ? ` — “${item.decision.comment}”` : ""}
          </Row>
          <Row label="Reviewer">
            {item.reviewer.name ?? "Unassigned"} <span className="text-slate-600">({item.reviewer.reason})</span>
          </Row>
          <Row label="Grant status">{item.now.grantStatus ? humanize(item.now.grantStatus) : "Deleted"}</Row>
        </dl>
        {item.now.revocation ? <RevocationProgress revocation={item.now.revocation} /> : null}
        <p className="mt-1 text-xs text-slate-600">
          Campaign:{" "}
          <Link className="underline" href={`/reviews?campaignId=${item.campaign.id}`}>
            {item.campaign.name}
          </Link>
          {item.stage > 1 ? ` · stage ${item.stage}` : ""}
        </p>
      </Block>
    </div>
  );
}
