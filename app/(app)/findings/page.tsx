import type { Metadata } from "next";
import Link from "next/link";
import { db } from "@/db/client";
import { requireActor } from "@/lib/auth/current-actor";
import { systemDeps } from "@/lib/domain/deps";
import { browseFindings, findingFiltersSchema } from "@/lib/domain/findings/browse";
import { COMPUTED_KINDS, FINDING_KINDS } from "@/lib/domain/findings/kinds";
import { queryOf, type SearchParams } from "@/lib/pages";
import { FindingStatusBadge, SeverityBadge } from "@/components/findings/finding-badges";
import { SelectField } from "@/components/ui/field";
import { FilterForm } from "@/components/ui/filter-form";
import { PageHeader } from "@/components/ui/page-header";
import { Pager } from "@/components/ui/pager";
import { EmptyRow, Table, Td } from "@/components/ui/table";
import { Time } from "@/components/ui/time";
import { RecomputeForm } from "./_components/recompute-form";

export const metadata: Metadata = { title: "Findings" };

const link = "text-blue-800 underline";

export default async function FindingsPage({ searchParams }: { searchParams: SearchParams }) {
  const actor = await requireActor();
  const query = await queryOf(searchParams);
  const filters = findingFiltersSchema.parse(query);
  const deps = systemDeps(db());
  const now = deps.now();
  const page = await browseFindings(deps, actor, filters);
  const open = page.counts.filter((c) => c.status === "open");
  const accepted = page.counts.filter((c) => c.status === "accepted").reduce((n, c) => n + c.n, 0);
  const bySeverity = ["critical", "high", "medium", "low"].map((s) => [s, open.find((c) => c.severity === s)?.n ?? 0] as const);
  const filtered = Object.entries(filters).some(([k, v]) => v !== undefined && k !== "cursor");

  return (
    <>
      <PageHeader
        title="Findings"
        subtitle={
          <>
            Where approval, live access and evidence disagree.{" "}
            {page.lastRun ? (
              <>
                As of <Time value={page.lastRun.at} now={now} />; recomputed {page.schedule}.
              </>
            ) : (
              `Not computed yet; the job runs ${page.schedule}.`
            )}
          </>
        }
      >
        {page.mayRecompute ? <RecomputeForm /> : null}
      </PageHeader>

      <p className="mb-4 text-sm" aria-label="Open findings by severity">
        <strong>Open:</strong> {bySeverity.map(([s, n]) => `${n.toLocaleString("en")} ${s}`).join(" · ")}
        {accepted ? ` · ${accepted.toLocaleString("en")} accepted as exceptions` : ""}
      </p>

      <FilterForm label="Filter findings" columns="sm:grid-cols-3 lg:grid-cols-7">
        {filters.identityId ? <input type="hidden" name="identityId" value={filters.identityId} /> : null}
        <SelectField
          label="Status"
          name="status"
          value={filters.status}
          options={[
            ["", "Open"],
            ["accepted", "Accepted"],
            ["resolved", "Resolved"],
            ["all", "All"],
          ]}
        />
        <SelectField label="Kind" name="kind" value={filters.kind} options={[["", "Any"], ...COMPUTED_KINDS.map((k) => [k, FINDING_KINDS[k].label] as [string, string])]} />
        <SelectField label="Application" name="applicationId" value={filters.applicationId} options={[["", "Any"], ...page.options.applications.map((a) => [a.id, a.name] as [string, string])]} />
        <SelectField
          label="Owner"
          name="ownerId"
          value={filters.ownerId}
          options={[
            ["", "Anyone"],
            ...(page.options.owners.some((o) => o.id === actor.id) ? [[actor.id, "Me"] as [string, string]] : []),
            ...page.options.owners.filter((o) => o.id !== actor.id).map((o) => [o.id, o.name] as [string, string]),
          ]}
        />
        <SelectField
          label="Severity"
          name="severity"
          value={filters.severity}
          options={[
            ["", "Any"],
            ["critical", "Critical"],
            ["high", "High"],
            ["medium", "Medium"],
            ["low", "Low"],
          ]}
        />
        <SelectField
          label="Age"
          name="olderThanDays"
          value={filters.olderThanDays?.toString()}
          options={[
            ["", "Any"],
            ["1", "Older than a day"],
            ["7", "Older than a week"],
            ["30", "Older than 30 days"],
            ["90", "Older than 90 days"],
          ]}
        />
      </FilterForm>

      <Table caption="Findings, most severe first, then oldest first" headers={["Severity", "Finding", "Subject", "First seen", "Status", "Owner"]}>
        {page.rows.length === 0 ? (
          <EmptyRow colSpan={6}>
            {filtered ? "No finding matches these filters." : page.lastRun ? "No open findings: approval, live access and evidence agree." : "No findings yet: they appear after the first recompute."}
          </EmptyRow>
        ) : null}
        {page.rows.map((f) => (
          <tr key={f.id}>
            <Td>
              <SeverityBadge severity={f.severity} />
            </Td>
            <Td className="max-w-xl">
              <Link className="font-medium text-blue-800 underline" href={`/findings/${f.id}`}>
                {FINDING_KINDS[f.kind].label}
              </Link>
              <p className="text-slate-800">{f.reason}</p>
            </Td>
            <Td>
              {f.identityId ? (
                <Link className={link} href={`/identities/${f.identityId}`}>
                  {f.identityName}
                </Link>
              ) : f.accountName ? (
                <span className="font-mono">{f.accountName}</span>
              ) : (
                "—"
              )}
              {f.applicationName ? (
                <div className="text-slate-700">
                  {f.entitlementName ? `${f.entitlementName} in ` : "in "}
                  {f.applicationName}
                </div>
              ) : null}
            </Td>
            <Td>
              <Time value={f.firstSeenAt} now={now} dateOnly />
            </Td>
            <Td>
              <FindingStatusBadge status={f.status} acceptedUntil={f.acceptedUntil} />
            </Td>
            <Td>{f.ownerName ?? <span className="text-slate-700">No owner (admins)</span>}</Td>
          </tr>
        ))}
      </Table>
      <Pager basePath="/findings" query={query} nextCursor={page.nextCursor} />
    </>
  );
}
