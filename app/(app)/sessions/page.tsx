import type { Metadata } from "next";
import Link from "next/link";
import { db } from "@/db/client";
import { requireActor } from "@/lib/auth/current-actor";
import { systemDeps } from "@/lib/domain/deps";
import { browseSessions, sessionFiltersSchema } from "@/lib/domain/evidence/sessions";
import { formatDuration } from "@/lib/format";
import { queryOf, type SearchParams } from "@/lib/pages";
import { ApprovalBadge } from "@/components/evidence/session-badges";
import { PrivilegeBadges } from "@/components/inventory/grant-badges";
import { Badge } from "@/components/ui/badge";
import { SelectField, TextField } from "@/components/ui/field";
import { FilterForm } from "@/components/ui/filter-form";
import { PageHeader } from "@/components/ui/page-header";
import { Pager } from "@/components/ui/pager";
import { EmptyRow, Table, Td } from "@/components/ui/table";
import { Time } from "@/components/ui/time";

export const metadata: Metadata = { title: "Sessions" };

const link = "text-blue-800 underline";

export default async function SessionsPage({ searchParams }: { searchParams: SearchParams }) {
  const actor = await requireActor();
  const query = await queryOf(searchParams);
  const filters = sessionFiltersSchema.parse(query);
  const page = await browseSessions(systemDeps(db()), actor, filters);
  return (
    <>
      <PageHeader title="Sessions" subtitle="Privileged sessions recorded by Teleport and other sources, and the approval each one ran under. Newest first." />
      <FilterForm label="Filter sessions" columns="sm:grid-cols-3 lg:grid-cols-7">
        {filters.identityId ? <input type="hidden" name="identityId" value={filters.identityId} /> : null}
        {filters.applicationId ? <input type="hidden" name="applicationId" value={filters.applicationId} /> : null}
        <TextField label="Identity or account" name="q" value={filters.q} />
        <TextField label="Application" name="application" value={filters.application} />
        <SelectField label="Source" name="source" value={filters.source} options={[["", "Any"], ...page.sources.map((s): [string, string] => [s, s])]} />
        <SelectField
          label="Privileged"
          name="privileged"
          value={query.privileged}
          options={[
            ["", "Any"],
            ["1", "Privileged only"],
            ["0", "Not privileged"],
          ]}
        />
        <SelectField
          label="Approval"
          name="withoutApproval"
          value={query.withoutApproval}
          options={[
            ["", "Any"],
            ["1", "Without approval only"],
          ]}
        />
        <SelectField
          label="Account"
          name="unmatched"
          value={query.unmatched}
          options={[
            ["", "Any"],
            ["1", "Unmatched only"],
          ]}
        />
      </FilterForm>
      <Table caption="Sessions" captionHidden headers={["Start", "Duration", "Identity", "Application", "Entitlement", "Target", "Source", "Approval"]}>
        {page.rows.length === 0 ? <EmptyRow colSpan={8}>No session matches these filters. Sessions arrive through the ingest API (POST /api/v1/events) or the CLI.</EmptyRow> : null}
        {page.rows.map((s) => (
          <tr key={s.id}>
            <Td>
              <Link className={link} href={`/sessions/${s.id}`}>
                <Time value={s.startedAt} />
              </Link>
            </Td>
            <Td>{s.endedAt ? formatDuration(s.durationSeconds ?? 0) : <Badge tone="warn">Still open</Badge>}</Td>
            <Td>
              {s.identityId ? (
                s.identityName
              ) : (
                <span>
                  <span className="font-mono">{s.accountName ?? "unknown user"}</span> <span className="text-slate-600">(no identity)</span>
                </span>
              )}
            </Td>
            <Td>{s.applicationName ?? "—"}</Td>
            <Td>
              {s.entitlementName ?? "—"} {s.entitlementId ? <PrivilegeBadges privileged={s.privileged ?? false} breakGlass={s.breakGlass ?? false} /> : null}
            </Td>
            <Td>
              {s.target ?? "—"}
              {s.login ? <span className="text-slate-600"> as {s.login}</span> : null}
            </Td>
            <Td>{s.source}</Td>
            <Td>
              <ApprovalBadge usedWithoutApproval={s.usedWithoutApproval} matched={s.identityId !== null} activation={s.activationId !== null} />
            </Td>
          </tr>
        ))}
      </Table>
      <Pager basePath="/sessions" query={query} nextCursor={page.nextCursor} />
    </>
  );
}
