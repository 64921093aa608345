import type { Metadata } from "next";
import Link from "next/link";
import { db } from "@/db/client";
import { requireActor } from "@/lib/auth/current-actor";
import { systemDeps } from "@/lib/domain/deps";
import { browseIdentities, identityFiltersSchema } from "@/lib/domain/inventory/identities";
import { queryOf, type SearchParams } from "@/lib/pages";
import { SelectField, TextField } from "@/components/ui/field";
import { FilterForm } from "@/components/ui/filter-form";
import { PageHeader } from "@/components/ui/page-header";
import { Pager } from "@/components/ui/pager";
import { EmptyRow, Table, Td } from "@/components/ui/table";
import { IdentityStatusBadge, IdentityTypeBadge } from "@/components/inventory/identity-badges";
import { Badge } from "@/components/ui/badge";

export const metadata: Metadata = { title: "Identities" };

export default async function IdentitiesPage({ searchParams }: { searchParams: SearchParams }) {
  const actor = await requireActor();
  const query = await queryOf(searchParams);
  const filters = identityFiltersSchema.parse(query);
  const page = await browseIdentities(systemDeps(db()), actor, filters);
  return (
    <>
      <PageHeader title="Identities" subtitle="People, contractors, third parties and non-human identities you may see." />
      <FilterForm label="Filter identities" columns="sm:grid-cols-5">
        <TextField label="Search name or email" name="q" value={filters.q} />
        <SelectField
          label="Type"
          name="category"
          value={filters.category}
          options={[
            ["", "Any"],
            ["human", "Employees and contractors"],
            ["third_party", "Third parties"],
            ["non_human", "Non-human"],
          ]}
        />
        <SelectField
          label="Status"
          name="status"
          value={filters.status}
          options={[
            ["", "Any"],
            ["active", "Active"],
            ["suspended", "Suspended"],
            ["leaver", "Leaver"],
          ]}
        />
        <SelectField label="Department" name="department" value={filters.department} options={[["", "Any"], ...page.departments.map((d) => [d, d] as [string, string])]} />
      </FilterForm>
      <Table caption="Identities" captionHidden headers={["Name", "Type", "Status", "Department", "Manager or owner", "Active grants"]}>
        {page.rows.length === 0 ? <EmptyRow colSpan={6}>No identity matches these filters.</EmptyRow> : null}
        {page.rows.map((row) => (
          <tr key={row.id}>
            <Td>
              <Link className="font-medium text-blue-800 underline" href={`/identities/${row.id}`}>
                {row.displayName}
              </Link>
              {row.email ? <span className="block text-slate-600">{row.email}</span> : null}
            </Td>
            <Td>
              <IdentityTypeBadge kind={row.kind} type={row.type} />
              {row.organization ? <span className="block text-slate-600">{row.organization}</span> : null}
            </Td>
            <Td>
              <IdentityStatusBadge status={row.status} />
            </Td>
            <Td>{row.department ?? "—"}</Td>
            <Td>
              {row.kind === "non_human" ? (
                row.ownerName ? (
                  <>
                    Owner: {row.ownerName} {row.ownerStatus === "leaver" ? <Badge tone="bad">owner left</Badge> : null}
                  </>
                ) : (
                  <Badge tone="bad">No owner</Badge>
                )
              ) : (
                (row.managerName ?? "—")
              )}
            </Td>
            <Td>{row.activeGrants}</Td>
          </tr>
        ))}
      </Table>
      <Pager basePath="/identities" query={query} nextCursor={page.nextCursor} />
    </>
  );
}
