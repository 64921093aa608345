import type { Metadata } from "next";
import Link from "next/link";
import { db } from "@/db/client";
import { requireActor } from "@/lib/auth/current-actor";
import { systemDeps } from "@/lib/domain/deps";
import { MAX_EXCEPTION_DAYS } from "@/lib/domain/findings/act-on-finding";
import { getFindingDetail } from "@/lib/domain/findings/browse";
import { FINDING_KINDS } from "@/lib/domain/findings/kinds";
import { formatDate, humanize } from "@/lib/format";
import { orNotFound } from "@/lib/pages";
import { EvidenceList } from "@/components/findings/evidence-list";
import { FindingStatusBadge, SeverityBadge } from "@/components/findings/finding-badges";
import { Badge } from "@/components/ui/badge";
import { Facts, PageHeader, Section } from "@/components/ui/page-header";
import { EmptyRow, Table, Td } from "@/components/ui/table";
import { Time } from "@/components/ui/time";
import { AcceptForm } from "../_components/accept-form";
import { GrantActions } from "../_components/grant-actions";

export const metadata: Metadata = { title: "Finding" };

const link = "text-blue-800 underline";
const DAY = 86_400_000;

/** Why a finding offers no grant to act on, and what to do instead. */
function noGrantReason(kind: string, application: string | null): string {
  const where = application ?? "the application";
  switch (kind) {
    case "orphan_account":
      return `This account belongs to no identity in Accord, so there is no grant to revoke. Disable it in ${where} (or import accounts to link it to its owner); accept it as an exception if it must stay.`;
    case "nhi_no_owner":
    case "nhi_owner_leaver":
      return "The fix is an owner, not a revocation: an admin gives it one on its identity page. Its grants can be reviewed or revoked from there.";
    case "used_without_approval":
      return `No grant for this access exists in Accord: it was used out of band. Remove it in ${where}; accept it as an exception if it was approved elsewhere.`;
    default:
      return "No live grant is left for this finding; the next recompute resolves it if the condition has ended.";
  }
}

export default async function FindingPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requireActor();
  const { id } = await params;
  const deps = systemDeps(db());
  const detail = await orNotFound(getFindingDetail(deps, actor, id));
  const { finding, identity, application, entitlement, account, owner, acceptedBy } = detail;
  const now = deps.now();
  const kind = FINDING_KINDS[finding.kind];
  const tomorrow = formatDate(new Date(now.getTime() + DAY));
  const latest = formatDate(new Date(now.getTime() + MAX_EXCEPTION_DAYS * DAY));

  return (
    <>
      <PageHeader
        title={kind.label}
        subtitle={
          <span className="flex flex-wrap items-center gap-2">
            <SeverityBadge severity={finding.severity} /> <FindingStatusBadge status={finding.status} acceptedUntil={finding.acceptedUntil} />
            <span>
              Drift finding {kind.design} of DESIGN: {kind.explains}
            </span>
          </span>
        }
      />
      <p className="mb-4 max-w-3xl text-lg text-slate-900">{finding.reason}</p>

      <Facts
        items={[
          [
            "About",
            identity?.id ? (
              <Link key="i" className={link} href={`/identities/${identity.id}`}>
                {identity.displayName}
              </Link>
            ) : account?.id ? (
              <span key="a" className="font-mono">
                {account.username}
              </span>
            ) : (
              "—"
            ),
          ],
          [
            "Application",
            application?.id ? (
              <Link key="ap" className={link} href={`/applications/${application.id}`}>
                {application.name}
              </Link>
            ) : (
              "—"
            ),
          ],
          ["Entitlement", entitlement?.id ? `${entitlement.name}${entitlement.privileged ? " (privileged)" : ""}` : "—"],
          [
            "Grant",
            finding.grantId ? (
              <Link key="g" className={link} href={`/grants/${finding.grantId}`}>
                Open the grant
              </Link>
            ) : (
              "—"
            ),
          ],
          ["Owner", owner?.id ? owner.displayName : "No owner: admins decide"],
          ["First seen", <Time key="f" value={finding.firstSeenAt} now={now} />],
          [finding.status === "resolved" ? "Last seen" : "Last confirmed", <Time key="l" value={detail.lastConfirmedAt} now={now} />],
          ["Resolved", finding.resolvedAt ? <Time key="r" value={finding.resolvedAt} now={now} /> : "—"],
          [
            finding.status === "accepted" ? "Exception" : "Last exception",
            finding.acceptedUntil ? (
              <span key="x">
                until <Time value={finding.acceptedUntil} dateOnly />, by {acceptedBy?.displayName ?? "—"}: {finding.acceptReason}
              </span>
            ) : (
              "None"
            ),
          ],
        ]}
      />

      <Section title="Evidence" description="As recorded by the last recompute. Times are UTC.">
        <EvidenceList evidence={finding.evidence} now={now} />
      </Section>

      <Section title="What you can do">
        {finding.status === "resolved" ? (
          <p className="text-sm">This finding is resolved: the condition was gone at the last recompute. It re-opens if the condition returns.</p>
        ) : (
          <div className="space-y-4">
            {detail.grants.length === 0 ? <p className="text-sm text-slate-800">{noGrantReason(finding.kind, application?.name ?? null)}</p> : null}
            {detail.grants.map((g) => (
              <GrantActions key={g.id} findingId={finding.id} grant={g} />
            ))}
            <div className="rounded border border-slate-200 p-3">
              <h3 className="mb-2 font-semibold">Accept the risk until a date</h3>
              {detail.accept.allowed ? <AcceptForm findingId={finding.id} min={tomorrow} max={latest} /> : <p className="text-sm text-slate-700">{detail.accept.reason}</p>}
            </div>
          </div>
        )}
      </Section>

      <Section title="Revocations started from this finding">
        <Table caption="Revocations started from this finding" captionHidden headers={["Access", "State", "Requested", "Verified", "Last error"]}>
          {detail.revocations.length === 0 ? <EmptyRow colSpan={5}>None yet.</EmptyRow> : null}
          {detail.revocations.map((r) => (
            <tr key={r.id}>
              <Td>
                <Link className={link} href={`/grants/${r.grantId}`}>
                  {r.entitlement}
                </Link>
              </Td>
              <Td>
                <Badge tone={r.status === "verified" ? "good" : r.status === "failed" ? "bad" : "warn"}>{humanize(r.status)}</Badge>
              </Td>
              <Td>
                <Time value={r.requestedAt} />
              </Td>
              <Td>
                <Time value={r.verifiedAt} />
              </Td>
              <Td>{r.lastError ?? "—"}</Td>
            </tr>
          ))}
        </Table>
      </Section>
    </>
  );
}
