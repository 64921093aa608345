import type { Metadata } from "next";
import Link from "next/link";
import { db } from "@/db/client";
import { requireActor } from "@/lib/auth/current-actor";
import { mayChangeAnything } from "@/lib/domain/access/rules";
import { myRequests, myRequestsQuery } from "@/lib/domain/approvals/views";
import { systemDeps } from "@/lib/domain/deps";
import { queryOf, type SearchParams } from "@/lib/pages";
import { buttonClass } from "@/components/ui/field";
import { PageHeader } from "@/components/ui/page-header";
import { Pager } from "@/components/ui/pager";
import { EmptyRow, Table, Td } from "@/components/ui/table";
import { Time } from "@/components/ui/time";
import { PrivilegeBadges } from "@/components/inventory/grant-badges";
import { durationText, RequestKindBadge, RequestStatusBadge } from "@/components/requests/request-badges";

export const metadata: Metadata = { title: "My requests" };

const link = "text-blue-800 underline";

export default async function MyRequestsPage({ searchParams }: { searchParams: SearchParams }) {
  const actor = await requireActor();
  const query = await queryOf(searchParams);
  const deps = systemDeps(db());
  const page = await myRequests(deps, actor, myRequestsQuery.parse(query));
  const now = deps.now();
  return (
    <>
      <PageHeader title="My requests" subtitle="Access you asked for, or someone asked for on your behalf, and where each request stands.">
        {mayChangeAnything(actor) ? (
          <Link href="/requests/new" className={buttonClass}>
            Request access
          </Link>
        ) : (
          <p className="text-sm text-slate-700">Auditors cannot request access.</p>
        )}
      </PageHeader>
      <Table caption="My requests" captionHidden headers={["Requested", "Access", "For", "Kind", "Status", "Waiting on"]}>
        {page.rows.length === 0 ? <EmptyRow colSpan={6}>No requests yet. Use “Request access” to ask for an entitlement; you will see every step here.</EmptyRow> : null}
        {page.rows.map((r) => (
          <tr key={r.id}>
            <Td>
              <Time value={r.createdAt} now={now} />
            </Td>
            <Td>
              <Link className={link} href={`/requests/${r.id}`}>
                {r.entitlementName} in {r.applicationName}
              </Link>{" "}
              <PrivilegeBadges privileged={r.privileged} breakGlass={r.breakGlass} />
            </Td>
            <Td>
              {r.beneficiaryId === actor.id ? "Me" : r.beneficiaryName}
              {r.requesterId !== actor.id ? <span className="block text-slate-600">asked by {r.requesterName}</span> : null}
            </Td>
            <Td>
              <RequestKindBadge kind={r.kind} /> <span className="block text-slate-700">{durationText(r.kind, r.durationMinutes)}</span>
            </Td>
            <Td>
              <RequestStatusBadge status={r.status} />
            </Td>
            <Td>
              {r.status === "pending" ? (
                <>
                  {r.waitingOn ?? "—"}
                  <span className="block text-slate-600">
                    expires <Time value={r.expiresAt} now={now} />
                  </span>
                </>
              ) : (
                "—"
              )}
            </Td>
          </tr>
        ))}
      </Table>
      <Pager basePath="/requests" query={query} nextCursor={page.nextCursor} />
    </>
  );
}
