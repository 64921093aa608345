import type { Metadata } from "next";
import Link from "next/link";
import { db } from "@/db/client";
import { requireActor } from "@/lib/auth/current-actor";
import { canAttestRevocation, canRetryRevocation } from "@/lib/domain/access/rules";
import { systemDeps } from "@/lib/domain/deps";
import { browseRevocations, revocationFiltersSchema } from "@/lib/domain/revocations/manage";
import { humanize } from "@/lib/format";
import { queryOf, type SearchParams } from "@/lib/pages";
import { Badge } from "@/components/ui/badge";
import { PageHeader } from "@/components/ui/page-header";
import { Pager } from "@/components/ui/pager";
import { EmptyRow, Table, Td } from "@/components/ui/table";
import { Time } from "@/components/ui/time";
import { RevocationStateBadge, RevocationSteps, VerificationNote } from "@/components/revocations/revocation-badges";
import { AttestRevocation, RetryRevocation } from "./_components/revocation-actions";

export const metadata: Metadata = { title: "Revocations" };

const link = "text-blue-800 underline";
const FILTERS: [string, string][] = [
  ["", "All"],
  ["failed", "Failed"],
  ["overdue", "Past SLA"],
  ["requested", "Requested"],
  ["dispatched", "Dispatched"],
  ["applied", "Applied"],
  ["verified", "Verified"],
];

export default async function RevocationsPage({ searchParams }: { searchParams: SearchParams }) {
  const actor = await requireActor();
  const query = await queryOf(searchParams);
  const filters = revocationFiltersSchema.parse(query);
  const page = await browseRevocations(systemDeps(db()), actor, filters);
  const count = (status: string) =>
    status === ""
      ? page.counts.reduce((n, c) => n + c.count, 0)
      : status === "overdue"
        ? page.counts.filter((c) => c.overdue).reduce((n, c) => n + c.count, 0)
        : page.counts.filter((c) => c.status === status).reduce((n, c) => n + c.count, 0);
  return (
    <>
      <PageHeader
        title="Revocations"
        subtitle={
          <>
            Every removal from a decision to the target: requested, dispatched through the application&apos;s connector, applied, and verified by reading the target back (or by the receiver&apos;s
            callback, or an owner&apos;s attestation). Failed and past-SLA revocations come first. As of <Time value={page.asOf} />.
          </>
        }
      />
      <nav aria-label="Filter by state" className="mb-4 flex flex-wrap gap-2">
        {FILTERS.map(([value, label]) => {
          const current = (filters.status ?? "") === value;
          const href = value
            ? `/revocations?status=${value}${filters.applicationId ? `&applicationId=${filters.applicationId}` : ""}`
            : `/revocations${filters.applicationId ? `?applicationId=${filters.applicationId}` : ""}`;
          return (
            <Link
              key={value || "all"}
              href={href}
              aria-current={current ? "page" : undefined}
              className={`inline-flex min-h-9 items-center rounded border px-3 py-1.5 text-sm ${current ? "border-blue-800 bg-blue-50 font-semibold text-blue-900" : "border-slate-300 bg-white"}`}
            >
              {label} ({count(value)})
            </Link>
          );
        })}
      </nav>
      <Table caption="Revocations" captionHidden headers={["Access", "Cause", "State", "Progress", "SLA due", "Attempts", "Last error", "Action"]}>
        {page.rows.length === 0 ? <EmptyRow colSpan={8}>No revocation in this view. Revocations appear here when a review, request, expiry, finding or admin removes access.</EmptyRow> : null}
        {page.rows.map((r) => {
          const facts = { status: r.status, connectorKind: r.connectorKind === "none" ? "manual" : r.connectorKind, holderId: r.identityId, applicationOwnerIds: r.applicationOwnerIds };
          const mayRetry = canRetryRevocation(actor, facts).allowed;
          const mayAttest = canAttestRevocation(actor, facts).allowed;
          return (
            <tr key={r.id} className={r.rank === 0 ? "bg-red-50/40" : undefined}>
              <Td>
                <Link className={link} href={`/grants/${r.grantId}`}>
                  {r.entitlementName}
                </Link>{" "}
                of {r.identityName}
                <span className="block text-slate-600">
                  in {r.applicationName} · {humanize(r.connectorKind)} connector
                </span>
              </Td>
              <Td>
                {humanize(r.cause)}
                {r.requestedByName ? <span className="block text-slate-600">by {r.requestedByName}</span> : null}
              </Td>
              <Td>
                <RevocationStateBadge status={r.status} overdue={r.rank === 1} />
                {r.status === "verified" ? (
                  <span className="block text-xs">
                    <VerificationNote method={r.verification} />
                  </span>
                ) : null}
              </Td>
              <Td>
                <RevocationSteps r={r} />
              </Td>
              <Td>
                <Time value={r.slaDueAt} now={page.asOf} />
              </Td>
              <Td>{r.attempts}</Td>
              <Td className="max-w-xs text-red-900">{r.lastError ?? "—"}</Td>
              <Td>
                {mayRetry ? <RetryRevocation revocationId={r.id} label={`Retry removing ${r.entitlementName} from ${r.identityName}`} /> : null}
                {mayAttest ? <AttestRevocation revocationId={r.id} label={`Confirm ${r.entitlementName} removed from ${r.identityName}`} /> : null}
                {!mayRetry && !mayAttest ? (
                  r.status === "failed" ? (
                    <span className="text-slate-600">Admins and the application&apos;s owners can retry it.</span>
                  ) : r.status === "dispatched" && facts.connectorKind === "manual" ? (
                    <span className="text-slate-600">Waiting for an owner to confirm.</span>
                  ) : (
                    "—"
                  )
                ) : null}
              </Td>
            </tr>
          );
        })}
      </Table>
      <Pager basePath="/revocations" query={query} nextCursor={page.nextCursor} />
      <p className="mt-3 text-sm text-slate-700">
        <Badge tone="neutral">Tip</Badge> Each grant&apos;s page shows the receipts of its revocations: every request sent to the target and its answer, with secrets removed.
      </p>
    </>
  );
}
