import type { Metadata } from "next";
import Link from "next/link";
import { db } from "@/db/client";
import { requireActor } from "@/lib/auth/current-actor";
import { systemDeps } from "@/lib/domain/deps";
import { applicationFiltersSchema, browseApplications } from "@/lib/domain/inventory/applications";
import { humanize } from "@/lib/format";
import { queryOf, type SearchParams } from "@/lib/pages";
import { Badge } from "@/components/ui/badge";
import { SelectField, TextField } from "@/components/ui/field";
import { FilterForm } from "@/components/ui/filter-form";
import { PageHeader } from "@/components/ui/page-header";
import { Pager } from "@/components/ui/pager";
import { EmptyRow, Table, Td } from "@/components/ui/table";

export const metadata: Metadata = { title: "Applications" };

export default async function ApplicationsPage({ searchParams }: { searchParams: SearchParams }) {
  const actor = await requireActor();
  const query = await queryOf(searchParams);
  const filters = applicationFiltersSchema.parse(query);
  const page = await browseApplications(systemDeps(db()), actor, filters);
  return (
    <>
      <PageHeader title="Applications" subtitle="Systems that hold access, who owns them and how revocations reach them." />
      <FilterForm label="Filter applications" columns="sm:grid-cols-3">
        <TextField label="Search by name" name="q" value={filters.q} />
        <SelectField
          label="Show"
          name="mine"
          value={filters.mine}
          options={[
            ["", "All applications"],
            ["1", "Applications I own"],
          ]}
        />
      </FilterForm>
      <Table caption="Applications" captionHidden headers={["Application", "Owners", "Risk tier", "Connector", "Entitlements", "Revocation SLA"]}>
        {page.rows.length === 0 ? <EmptyRow colSpan={6}>No application matches.</EmptyRow> : null}
        {page.rows.map((app) => (
          <tr key={app.id}>
            <Td>
              <Link className="font-medium text-blue-800 underline" href={`/applications/${app.id}`}>
                {app.name}
              </Link>{" "}
              {app.ownedByActor ? <Badge tone="info">You own this</Badge> : null}
              {app.description ? <span className="block text-slate-600">{app.description}</span> : null}
            </Td>
            <Td>{app.owners.length ? app.owners.join(", ") : <Badge tone="bad">No owner</Badge>}</Td>
            <Td>{humanize(app.riskTier)}</Td>
            <Td>{humanize(app.connectorKind)}</Td>
            <Td>
              {app.entitlementCount} ({app.privilegedCount} privileged)
            </Td>
            <Td>{app.revocationSlaHours} h</Td>
          </tr>
        ))}
      </Table>
      <Pager basePath="/applications" query={query} nextCursor={page.nextCursor} />
    </>
  );
}
